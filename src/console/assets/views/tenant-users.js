// @ts-check
import { ApiError, request } from '../api.js';
import { announce, errorMessage, field, h, loading, replaceChildren } from '../dom.js';
import { breadcrumbs, loadPage } from './page.js';

const PAGE_SIZE = 25;
const USER_FIELDS = 'nodes { id displayName mail userPrincipalName jobTitle } pageInfo { hasNextPage endCursor }';
const TENANT = `query ConsoleTenant($id: ID!) { tenant(id: $id) { id displayName microsoftTenantId status connector { id name } } }`;
const USERS = `query ConsoleUsers($id: ID!, $first: Int!, $after: String) {
  tenant(id: $id) { users(first: $first, after: $after) { ${USER_FIELDS} } }
}`;
// Its own request: a gateway without Tenant.users(search:) still pages through users.
const SEARCH = `query ConsoleUserSearch($id: ID!, $first: Int!, $after: String, $search: String!) {
  tenant(id: $id) { users(first: $first, after: $after, search: $search) { ${USER_FIELDS} } }
}`;

/**
 * The tenant browser: the organisation's users a page at a time, or those matching a search.
 * @param {HTMLElement} container
 * @param {{ tenantId: string }} params
 */
export async function renderTenantUsers(container, { tenantId }) {
  const crumbs = breadcrumbs();
  const tenant = await loadPage(container, { title: 'Users', crumbs }, async () => (await request(TENANT, { id: tenantId })).tenant);
  if (!tenant) return;
  crumbs.append(' / ', h('a', { href: `#/connectors/${tenant.connector.id}` }, tenant.connector.name));
  const name = tenant.displayName ?? `Directory ${tenant.microsoftTenantId}`;

  const search = field({
    label: 'Search users',
    input: h('input', { type: 'search', name: 'search', spellcheck: 'false', autocomplete: 'off' }),
    hint: 'By name, email address or user principal name.',
  });
  const clear = h('button', { type: 'button', class: 'secondary' }, 'Clear');
  const form = h('form', { role: 'search', class: 'search', novalidate: true }, search.element, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search'), clear));
  const results = h('div', {});
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of users' });

  /** Cursors of the pages seen so far, so that Previous needs no backwards paging from Graph. */
  let cursors = /** @type {(string | null)[]} */ ([null]);
  let page = 0;
  let term = '';

  const load = async () => {
    replaceChildren(results, loading('Loading users…'));
    replaceChildren(pager);
    try {
      const variables = { id: tenant.id, first: PAGE_SIZE, after: cursors[page], ...(term ? { search: term } : {}) };
      const { users } = (await request(term ? SEARCH : USERS, variables)).tenant;
      cursors[page + 1] = users.pageInfo.hasNextPage ? users.pageInfo.endCursor : null;
      drawUsers(results, users.nodes, tenant.id, term);
      drawPager(users.pageInfo.hasNextPage);
      announce(`Page ${page + 1}: ${users.nodes.length} user${users.nodes.length === 1 ? '' : 's'}`);
    } catch (error) {
      const unsupported = error instanceof ApiError && term && error.isUnsupported;
      replaceChildren(
        results,
        unsupported ? h('p', { class: 'notice', role: 'status' }, 'This gateway cannot search users yet (it has no Tenant.users(search:)). Clear the search to page through all users.') : errorMessage(error),
      );
    }
  };
  /** @param {boolean} hasNext */
  const drawPager = (hasNext) => {
    const previous = h('button', { type: 'button', class: 'secondary', disabled: page === 0 }, 'Previous page');
    const next = h('button', { type: 'button', class: 'secondary', disabled: !hasNext }, 'Next page');
    previous.addEventListener('click', () => void go(page - 1));
    next.addEventListener('click', () => void go(page + 1));
    replaceChildren(pager, previous, h('span', { class: 'page-number' }, `Page ${page + 1}`), next);
  };
  /** @param {number} target */
  const go = async (target) => {
    page = target;
    await load();
    results.querySelector('a')?.focus();
  };
  const restart = (/** @type {string} */ value) => {
    term = value;
    cursors = [null];
    page = 0;
    return load();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void restart(/** @type {HTMLInputElement} */ (search.input).value.trim());
  });
  clear.addEventListener('click', () => {
    /** @type {HTMLInputElement} */ (search.input).value = '';
    void restart('');
  });

  replaceChildren(container, crumbs, h('h1', {}, `Users of ${name}`), form, results, pager);
  await load();
}

/**
 * @param {HTMLElement} results
 * @param {any[]} users
 * @param {string} tenantId
 * @param {string} term
 */
function drawUsers(results, users, tenantId, term) {
  if (!users.length) {
    replaceChildren(results, h('p', { class: 'empty' }, term ? `No user matches "${term}".` : 'This organisation has no users.'));
    return;
  }
  replaceChildren(
    results,
    h(
      'ul',
      { class: 'user-list', role: 'list', 'aria-label': term ? `Users matching ${term}` : 'Users' },
      users.map((user) =>
        h(
          'li',
          {},
          h('a', { href: `#/tenants/${tenantId}/users/${encodeURIComponent(user.id)}` }, user.displayName ?? user.userPrincipalName),
          h('span', { class: 'meta' }, [user.mail ?? user.userPrincipalName, user.jobTitle].filter(Boolean).join(' · ')),
        ),
      ),
    ),
  );
}
