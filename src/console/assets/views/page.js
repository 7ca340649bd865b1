// @ts-check
import { errorMessage, h, loading, replaceChildren } from '../dom.js';

/** The trail back to the connectors list that every page but the list starts with. */
export const breadcrumbs = () => h('p', { class: 'breadcrumbs' }, h('a', { href: '#/connectors' }, 'Connectors'));

/**
 * A page's first request: its title with "Loading…" while it runs, the error under the title
 * when it fails (resolving null), so that each view only draws the data.
 * @template T
 * @param {HTMLElement} container
 * @param {{ title: string, crumbs?: HTMLElement }} page
 * @param {() => Promise<T>} load
 * @returns {Promise<T | null>}
 */
export async function loadPage(container, { title, crumbs }, load) {
  replaceChildren(container, crumbs, h('h1', {}, title), loading());
  try {
    return await load();
  } catch (error) {
    replaceChildren(container, crumbs, h('h1', {}, title), errorMessage(error));
    return null;
  }
}
