import type { Client } from "@connectrpc/connect";
import { ErasureService, Erasure_State, PrivacyService } from "./gen/tandem/api/v1/privacy_pb";
import { form, h, labelled, problem, sha256Hex } from "./dom";

/** Every service that holds something about a person: each answers for its own part of an export. */
const SERVICES = ["journal-service", "plans-service", "notifications-service", "care-service"];
/** What a person types to erase: a tap alone, by whoever holds the phone, erases nothing. */
const CONFIRMATION = "erase everything";

export type MyData = {
  privacy: Client<typeof PrivacyService>;
  erasure: Client<typeof ErasureService>;
  /** Ends the tab's session once nothing of the person is left to sign in to. */
  signOut: () => void;
};

/** A person's rights in the browser: a copy of everything Tandem holds about them, and erasing it all. */
export function myDataPage(d: MyData): Node[] {
  const saved = h("div", { role: "status", id: "export" });
  let offered: string | undefined;
  const forget = () => {
    if (offered) URL.revokeObjectURL(offered);
    offered = undefined;
    saved.replaceChildren();
  };
  const erasure = h("section", { "aria-labelledby": "erase-title" });
  erasure.append(h("h2", { id: "erase-title" }, "Erase everything"),
    h("p", {}, "Leaves your couple and removes everything Tandem holds about you. It cannot be undone."),
    form([], "Read what erasure means", async () => {
      const read = await d.erasure.prepareErasure({});
      showTerms(d, erasure, read.text, forget);
    }));
  return [
    h("h2", {}, "A copy of my data"),
    h("p", {}, "Everything Tandem holds about you, in one file (JSON), with what you keep private. It is saved on this "
      + "device, and the browser's list of downloads keeps its name: anyone who can open them can read it. Nothing your "
      + "partner keeps private is in it."),
    form([], "Prepare my data", async () => {
      forget();
      saved.append(h("p", {}, "Gathering…"));
      try {
        const services: Record<string, { kind: string; id: string; fields: unknown }[]> = {};
        let count = 0;
        for (const service of SERVICES) {
          services[service] = [];
          for await (const item of d.privacy.exportMyData({ service })) {
            services[service].push({ kind: item.kind, id: item.id, fields: JSON.parse(item.json) });
            count++;
          }
        }
        // a neutral name, and a type browsers save rather than show in a tab a quick exit would not close
        offered = URL.createObjectURL(new Blob([JSON.stringify({ services }, null, 2)], { type: "application/octet-stream" }));
        saved.replaceChildren(h("p", {}, h("a", { href: offered, download: `export-${new Date().toISOString().slice(0, 10)}.json`,
          id: "my-data-file" }, `Save my data (${count} items)`)));
      } catch (error) {
        forget();
        throw error;
      }
    }),
    saved,
    erasure,
  ];
}

/** The terms as the server words them; erasing asks for them to be typed as agreed, and for the SHA-256 of what was shown. */
function showTerms(d: MyData, erasure: HTMLElement, text: string, forget: () => void) {
  const key = crypto.randomUUID();
  const terms = h("div", { id: "erasure-terms", tabindex: "-1" }, h("h3", {}, "What erasure means"), h("p", {}, text));
  const status = h("p", { role: "status", id: "erasure-state", tabindex: "-1" });
  erasure.replaceChildren(erasure.firstChild!, terms, form([
    labelled(`To erase, type "${CONFIRMATION}"`, h("input", { type: "text", name: "confirm", required: "", autocomplete: "off",
      pattern: CONFIRMATION, "aria-describedby": "erasure-terms" })),
  ], "Erase my account and everything in it", async () => {
    await d.erasure.eraseMe({ idempotencyKey: key, textSha256: await sha256Hex(text) });
    // asked once: nothing on the page can ask again
    forget();
    erasure.replaceChildren(erasure.firstChild!, status);
    await followUntilDone(d, status);
  }), status);
  erasure.querySelector("form button")!.classList.add("danger");
  terms.focus();
}

/** Says how far the erasure got until every service confirmed, looking less often as it lasts; the session ends with it. */
async function followUntilDone(d: MyData, status: HTMLElement) {
  status.textContent = "Erasing…";
  let pause = 1000;
  while (status.isConnected) {
    try {
      if ((await d.erasure.getMyErasure({})).state === Erasure_State.COMPLETED) {
        d.signOut();
        status.textContent = "Everything Tandem held about you is erased.";
        status.focus();
        return;
      }
      status.textContent = "Erasing…";
    } catch (error) {
      status.replaceChildren("Your erasure goes on; this page could not check how far it got. ", problem(error));
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 15_000);
  }
}
