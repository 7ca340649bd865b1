// @ts-check
import { ApiError, request } from '../api.js';
import { field, formAlert, h, replaceChildren, showFormErrors } from '../dom.js';
import { breadcrumbs } from './page.js';

const CREATE = `mutation ConsoleCreateConnector($input: CreateConnectorInput!) { createConnector(input: $input) { id } }`;

/** @param {HTMLElement} container */
export function renderNewConnector(container) {
  const provider = field({
    label: 'Provider',
    input: h('select', { name: 'provider' }, h('option', { value: 'OUTLOOK_CALENDAR_ADMIN' }, 'Outlook Calendar, organisation-wide (admin consent)')),
    hint: 'Reads the calendars of every user in a customer\'s Microsoft 365 organisation, after one admin consents.',
  });
  const name = field({
    label: 'Name',
    optional: true,
    input: h('input', { type: 'text', name: 'name', maxlength: '100', placeholder: 'Outlook Calendar Admin' }),
    hint: 'For you, in this console. The catalog has its own name for your customers.',
  });
  const slug = field({
    label: 'Slug',
    optional: true,
    input: h('input', { type: 'text', name: 'slug', maxlength: '63', spellcheck: 'false', placeholder: 'outlook-calendar-admin' }),
    hint: 'Ends the callback URL: /callback/<slug>. Lowercase letters, digits and hyphens. It cannot be changed later, because Azure holds the URL.',
  });
  const alert = formAlert();
  const submit = h('button', { type: 'submit' }, 'Create connector');
  const form = h('form', { class: 'card', novalidate: true }, provider.element, name.element, slug.element, alert, h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = (/** @type {{ input: HTMLElement }} */ control) => /** @type {HTMLInputElement} */ (control.input).value.trim();
    const input = {
      provider: /** @type {HTMLSelectElement} */ (provider.input).value,
      ...(text(name) ? { name: text(name) } : {}),
      ...(text(slug) ? { slug: text(slug) } : {}),
    };
    submit.setAttribute('disabled', '');
    try {
      const { createConnector } = await request(CREATE, { input });
      location.hash = `#/connectors/${createConnector.id}`;
    } catch (error) {
      showFormErrors(error instanceof ApiError ? error : new ApiError([{ message: String(error) }]), { name, slug, provider }, alert);
    } finally {
      submit.removeAttribute('disabled');
    }
  });

  replaceChildren(
    container,
    breadcrumbs(),
    h('h1', {}, 'New connector'),
    h('p', {}, 'The next page shows the callback URL to register in Azure, then asks for the app\'s client ID and secret.'),
    form,
  );
}
