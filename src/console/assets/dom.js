// @ts-check
/**
 * Building blocks for the views. Elements are made from data only (text nodes, attributes):
 * nothing the API returns is ever parsed as HTML.
 */

/** @typedef {Node | string | number | null | undefined | false | any[]} Child  nested arrays are flattened */

/**
 * h('a', { href: '#/x', class: 'button' }, 'text', child…). `on<event>` props add listeners;
 * `true` sets an empty attribute, `false`/null/undefined leave it out.
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {Child[]} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * @param {Element} parent
 * @param {Child[]} children
 */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : /** @type {Node | string} */ (child));
  }
}

/**
 * @param {Element} parent
 * @param {Child[]} children
 */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

let lastId = 0;
/** @param {string} prefix */
export const uniqueId = (prefix) => `${prefix}-${++lastId}`;

/** Polite announcements for screen readers (saved, copied, removed). @param {string} text */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes repeated messages ("Copied") be read again.
  setTimeout(() => (region.textContent = text), 50);
}

/**
 * A labelled form control with its hint and an error slot, tied by for/id and aria-describedby.
 * `control` is what is placed under the label when it is more than the input (the input with a button).
 * @param {{ label: string, input: HTMLElement, control?: HTMLElement, hint?: Child, optional?: boolean }} options
 */
export function field({ label, input, control, hint, optional }) {
  const id = input.id || uniqueId('field');
  input.id = id;
  const hintElement = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const errorElement = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  input.setAttribute('aria-describedby', [hintElement?.id, errorElement.id].filter(Boolean).join(' '));
  const element = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'optional' }, ' (optional)') : null),
    control ?? input,
    hintElement,
    errorElement,
  );
  return {
    element,
    input,
    /** @param {string} message */
    showError(message) {
      errorElement.textContent = message;
      errorElement.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      errorElement.textContent = '';
      errorElement.hidden = true;
      input.removeAttribute('aria-invalid');
    },
  };
}

/** Where an API error about one field is shown. @typedef {{ input: HTMLElement, showError(message: string): void, clearError(): void }} ErrorSlot */

/**
 * Shows a failed mutation where it belongs: an error with `extensions.field` beside that field
 * (which gets the focus), anything else in the form's alert.
 * @param {{ errors: { message: string, extensions?: { field?: string } }[] }} failure
 * @param {Record<string, ErrorSlot>} fields by the API's field name (clientId, catalog.logoUrl…)
 * @param {HTMLElement} alert
 */
export function showFormErrors(failure, fields, alert) {
  clearFormErrors(fields, alert);
  const general = [];
  let first = null;
  for (const error of failure.errors) {
    const target = error.extensions?.field ? fields[error.extensions.field] : undefined;
    if (target) {
      target.showError(error.message);
      first ??= target.input;
    } else general.push(error.message);
  }
  if (general.length) {
    alert.textContent = general.join(' ');
    alert.hidden = false;
  }
  (first ?? alert).focus();
}

/**
 * @param {Record<string, ErrorSlot>} fields
 * @param {HTMLElement} alert
 */
export function clearFormErrors(fields, alert) {
  for (const each of Object.values(fields)) each.clearError();
  alert.textContent = '';
  alert.hidden = true;
}

/** The alert a form shows errors in; focusable so the error is read out. */
export const formAlert = () => h('div', { class: 'alert', role: 'alert', tabindex: '-1', hidden: true });

/**
 * A read-only text with a Copy button (the callback URL, a consent link).
 * @param {{ label: string, value: string, hint?: Child }} options
 */
export function copyField({ label, value, hint }) {
  const input = /** @type {HTMLInputElement} */ (h('input', { type: 'text', readonly: true, value, spellcheck: 'false', id: uniqueId('copy') }));
  const button = h('button', { type: 'button', class: 'secondary', 'aria-label': `Copy ${label}` }, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      // Without clipboard permission, copy the selection the old way.
      input.select();
      document.execCommand('copy');
    }
    button.textContent = 'Copied';
    announce(`${label} copied to the clipboard`);
    setTimeout(() => (button.textContent = 'Copy'), 2000);
  });
  return field({ label, input, hint, control: h('div', { class: 'copy-row' }, input, button) });
}

/**
 * A button that asks once more inline before doing something that cannot be undone.
 * @param {{ label: string, confirmLabel: string, question: string, onConfirm: () => Promise<void> }} options
 */
export function confirmButton({ label, confirmLabel, question, onConfirm }) {
  const wrapper = h('span', { class: 'confirm' });
  const start = h('button', { type: 'button', class: 'danger' }, label);
  const yes = h('button', { type: 'button', class: 'danger' }, confirmLabel);
  const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const ask = h('span', { class: 'confirm-question', role: 'group', 'aria-label': question }, h('span', {}, question), yes, no);
  const reset = () => replaceChildren(wrapper, start);
  start.addEventListener('click', () => {
    replaceChildren(wrapper, ask);
    no.focus();
  });
  no.addEventListener('click', () => {
    reset();
    start.focus();
  });
  yes.addEventListener('click', async () => {
    yes.setAttribute('disabled', '');
    try {
      await onConfirm();
    } finally {
      yes.removeAttribute('disabled');
    }
  });
  reset();
  return wrapper;
}

/**
 * A status pill whose text says it all (colour is only a second cue).
 * @param {string} text
 * @param {'good' | 'warn' | 'bad' | 'neutral'} tone
 */
export const badge = (text, tone) => h('span', { class: `badge badge-${tone}` }, text);

/**
 * A link that opens beside the console, so that unsaved edits stay where they are.
 * @param {string} href
 * @param {string} text
 */
export const newTabLink = (href, text) =>
  h('a', { href, target: '_blank', rel: 'noopener' }, text, h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'));

/** @param {string} text */
export const loading = (text = 'Loading…') => h('p', { class: 'loading', role: 'status' }, text);

/** @param {unknown} error */
export const errorMessage = (error) => h('p', { class: 'alert', role: 'alert' }, error instanceof Error ? error.message : String(error));
