/**
 * The quick exit of domestic-violence sites: one tap, or Esc three times within two seconds, replaces this page with a
 * neutral one. location.replace takes the place of the current history entry, and the app never adds entries of its
 * own, so Back does not return to Tandem; the tab's session (token, couple) is dropped first.
 */
export const NEUTRAL_PAGE = "https://www.google.com/search?q=weather";

export function installQuickExit(control: HTMLElement) {
  const leave = () => {
    sessionStorage.clear();
    document.body.replaceChildren();
    document.title = "";
    location.replace(NEUTRAL_PAGE);
  };
  control.addEventListener("click", leave);
  let presses: number[] = [];
  window.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    presses = [...presses.filter((at) => now - at < 2000), now];
    if (presses.length >= 3) leave();
  }, true);
}
