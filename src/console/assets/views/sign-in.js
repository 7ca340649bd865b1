// @ts-check
import { graphql, session } from '../api.js';
import { field, formAlert, h, replaceChildren } from '../dom.js';

/**
 * The key is checked with a harmless query before it is kept, so a typo is caught here rather
 * than on the first real page.
 * @param {HTMLElement} container
 * @param {string | undefined} notice
 * @param {() => void} onSignedIn
 */
export function renderSignIn(container, notice, onSignedIn) {
  const key = field({
    label: 'API key',
    input: h('input', { type: 'password', name: 'apiKey', autocomplete: 'off', required: true, spellcheck: 'false' }),
    hint: 'The admin key the gateway printed at its first start, or one made with createApiKey. It is kept in this tab only and sent as "Authorization: Bearer".',
  });
  const alert = formAlert();
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card narrow', novalidate: true }, key.element, alert, h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = /** @type {HTMLInputElement} */ (key.input).value.trim();
    key.clearError();
    alert.hidden = true;
    if (!value) {
      key.showError('Paste the API key first.');
      key.input.focus();
      return;
    }
    submit.setAttribute('disabled', '');
    submit.textContent = 'Signing in…';
    try {
      const answer = await graphql('query SignIn { connectors { id } }', {}, { key: value });
      if (answer.errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) {
        key.showError(
          'The gateway did not accept this API key. Paste the whole key, without spaces; a revoked key no longer works.',
        );
        key.input.focus();
        return;
      }
      if (answer.errors.length) throw new Error(answer.errors[0].message);
      session.signIn(value);
      onSignedIn();
    } catch (error) {
      alert.textContent = error instanceof Error ? error.message : String(error);
      alert.hidden = false;
      alert.focus();
    } finally {
      submit.removeAttribute('disabled');
      submit.textContent = 'Sign in';
    }
  });

  replaceChildren(
    container,
    h('h1', {}, 'Sign in'),
    notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
    h('p', {}, 'The console manages connectors, consent and tenants through the gateway\'s GraphQL API, with your API key.'),
    form,
  );
  key.input.focus();
}
