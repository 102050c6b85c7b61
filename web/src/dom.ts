import { ConnectError } from "@connectrpc/connect";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

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

export function problem(error: unknown): HTMLElement {
  const message = error instanceof ConnectError ? error.rawMessage : String(error);
  return h("p", { class: "error", role: "alert" }, `That did not work: ${message}`);
}

/** A form whose submit runs {@code action} once at a time and shows what went wrong next to it. */
export function form(children: Node[], submitText: string, action: (data: FormData) => Promise<void>): HTMLFormElement {
  const status = h("div", { role: "status" });
  // nothing typed here may be offered again by the browser's form history to whoever uses it next
  const element = h("form", { autocomplete: "off" }, ...children, h("div", { class: "actions" }, h("button", { type: "submit" }, submitText)), status) as HTMLFormElement;
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = element.querySelector("button[type=submit]") as HTMLButtonElement;
    button.disabled = true;
    status.replaceChildren();
    try {
      await action(new FormData(element));
    } catch (error) {
      status.replaceChildren(problem(error));
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

export function button(text: string, action: () => Promise<void>, kind = ""): HTMLButtonElement {
  const element = h("button", { type: "button", class: kind }, text) as HTMLButtonElement;
  element.addEventListener("click", () => { action().catch((error) => element.after(problem(error))); });
  return element;
}

export function when(timestamp: Timestamp | undefined): string {
  return timestamp ? timestampDate(timestamp).toLocaleString() : "";
}

/** A textarea's lines, trimmed, without empty ones. */
export const lines = (value: FormDataEntryValue | null) => String(value ?? "").split("\n").map((l) => l.trim()).filter(Boolean);

/** The SHA-256 of a text as the server names it (lower-case hex): what a person confirms is what they were shown. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
