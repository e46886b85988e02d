/** Builds DOM nodes. Text always goes in as text nodes, never as HTML: API data cannot inject markup. */

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/** Children as `append` takes them; null, undefined and false stand for "nothing here". */
function present(children: readonly Child[]): (Node | string)[] {
  return children.flatMap((child) =>
    child === null || child === undefined || child === false
      ? []
      : [typeof child === 'number' ? String(child) : child],
  );
}

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
  node.append(...present(children));
  return node;
}

/** Replaces everything in `parent`. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...present(children));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A readable failure in place of a page: the problem's message, never a blank page. */
export function errorBox(message: string): HTMLElement {
  return el('p', { class: 'error', role: 'alert' }, message);
}
