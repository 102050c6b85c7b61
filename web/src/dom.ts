/** A small element builder: attributes as strings, children as nodes or text. */
export function h(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== "") element.setAttribute(name, value);
    else if (name !== "class") element.setAttribute(name, "");
  }
  element.append(...children);
  return element;
}

let labels = 0;

/** A control with its visible label, tied together by id so screen readers announce it. */
export function labelled(text: string, control: HTMLElement): DocumentFragment {
  const id = control.id || `field-${++labels}`;
  control.id = id;
  const fragment = document.createDocumentFragment();
  fragment.append(h("label", { for: id }, text), control);
  return fragment;
}

/** An enum's values as [name, number], without its unspecified value. */
export function options(enumeration: Record<string, string | number>, unspecified: string): [string, number][] {
  return Object.entries(enumeration)
    .filter((entry): entry is [string, number] => typeof entry[1] === "number" && entry[0] !== unspecified);
}

/** STRESS_AND_MORE → "stress and more" */
export function textOf(name: string): string {
  return name.toLowerCase().replace(/_/g, " ");
}
