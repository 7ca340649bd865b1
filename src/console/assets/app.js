// @ts-check
import { session } from './api.js';
import { h, replaceChildren } from './dom.js';
import { renderConnectorList } from './views/connector-list.js';
import { renderConnectorSetup } from './views/connector-setup.js';
import { renderNewConnector } from './views/new-connector.js';
import { renderSignIn } from './views/sign-in.js';
import { renderTenantUsers } from './views/tenant-users.js';
import { renderUserCalendar } from './views/user-calendar.js';

/**
 * The console: hash routes (#/connectors/…) so that every page has a URL the gateway never needs
 * to know about, drawn into <main> by one view function each.
 * @typedef {(container: HTMLElement, params: any, query: URLSearchParams) => Promise<void> | void} View
 */

/** @type {[RegExp, View][]} */
const routes = [
  [/^\/?$/, renderConnectorList],
  [/^\/connectors$/, renderConnectorList],
  [/^\/connectors\/new$/, renderNewConnector],
  [/^\/connectors\/(?<connectorId>[^/]+)$/, renderConnectorSetup],
  [/^\/tenants\/(?<tenantId>[^/]+)$/, renderTenantUsers],
  [/^\/tenants\/(?<tenantId>[^/]+)\/users\/(?<userId>[^/]+)$/, renderUserCalendar],
];

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));

/** @param {string} [notice] a reason to show above the sign-in form */
async function show(notice) {
  const [path, search] = decodeURIComponent(location.hash.replace(/^#/, '')).split('?');
  const view = h('div', { class: 'view' });
  replaceChildren(main, view);
  nav.hidden = !session.key;
  if (!session.key) {
    renderSignIn(view, notice, () => show());
    return;
  }
  const route = routes.find(([pattern]) => pattern.test(path));
  if (!route) {
    replaceChildren(view, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/connectors' }, 'Back to the connectors')));
    return;
  }
  const params = /** @type {Record<string, string>} */ ({ ...path.match(route[0])?.groups });
  await route[1](view, params, new URLSearchParams(search ?? ''));
  // Move focus to the new page's heading, as a page load would, so screen readers start there.
  const heading = view.querySelector('h1');
  if (heading && view.isConnected) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    document.title = `${heading.textContent} · Xkit console`;
  }
}

document.getElementById('sign-out')?.addEventListener('click', () => {
  session.signOut();
  void show('Signed out. The API key was removed from this tab.');
});
window.addEventListener('xkit:signed-out', (event) => void show(/** @type {CustomEvent<string>} */ (event).detail));
window.addEventListener('hashchange', () => void show());
void show();
