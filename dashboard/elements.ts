/** Builds DOM nodes. Text always goes in as text nodes, never as HTML: API data cannot inject markup. */

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(
    ...children.flatMap((child) =>
      child === null || child === undefined || child === false
        ? []
        : [typeof child === 'number' ? String(child) : child],
    ),
  );
  return node;
}

/** Replaces everything in `parent`. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  parent.append(
    ...children.flatMap((child) =>
      child === null || child === undefined || child === false
        ? []
        : [typeof child === 'number' ? String(child) : child],
    ),
  );
}

/** A readable failure in place of a page: the problem's message, never a blank page. */
export function errorBox(message: string): HTMLElement {
  return el('p', { class: 'error', role: 'alert' }, message);
}
