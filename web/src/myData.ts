import type { Client } from "@connectrpc/connect";
import { ErasureService, Erasure_State, PrivacyService } from "./gen/tandem/api/v1/privacy_pb";
import { form, h, labelled } from "./dom";

/** Every service that holds something about a person: each answers for its own part of an export. */
const SERVICES = ["journal-service", "plans-service", "notifications-service", "care-service"];

export type MyData = {
  privacy: Client<typeof PrivacyService>;
  erasure: Client<typeof ErasureService>;
  /** Ends the tab's session once nothing of the person is left to sign in to. */
  signOut: () => void;
};

/** A person's rights in the browser: a copy of everything Tandem holds about them, and erasing it all. */
export function myDataPage(d: MyData): Node[] {
  const saved = h("div", { role: "status", id: "export" });
  const terms = h("div", { id: "erasure" });
  return [
    h("h2", {}, "A copy of my data"),
    h("p", {}, "Everything Tandem holds about you, in one file (JSON). It is saved on this device: anyone who can open "
      + "this device's downloads can read it. Nothing your partner keeps private is in it."),
    form([], "Prepare my data", async () => {
      saved.replaceChildren(h("p", {}, "Gathering…"));
      const services: Record<string, { kind: string; id: string; fields: unknown }[]> = {};
      let count = 0;
      for (const service of SERVICES) {
        services[service] = [];
        for await (const item of d.privacy.exportMyData({ service })) {
          services[service].push({ kind: item.kind, id: item.id, fields: JSON.parse(item.json) });
          count++;
        }
      }
      const file = new Blob([JSON.stringify({ services }, null, 2)], { type: "application/json" });
      const link = h("a", { href: URL.createObjectURL(file), download: "tandem-my-data.json", id: "my-data-file" },
        `Save my data (${count} items)`);
      saved.replaceChildren(h("p", {}, link));
    }),
    saved,
    h("h2", {}, "Erase everything"),
    h("p", {}, "Leaves your couple and removes everything Tandem holds about you. It cannot be undone."),
    form([], "Read what erasure means", async () => {
      const read = await d.erasure.prepareErasure({});
      const key = crypto.randomUUID();
      terms.replaceChildren(h("p", { id: "erasure-terms" }, read.text), form([
        labelled("I have read this and want everything erased", h("input", { type: "checkbox", name: "confirm", required: "" })),
      ], "Erase everything", async () => {
        const started = await d.erasure.eraseMe({ idempotencyKey: key, textSha256: read.textSha256 });
        terms.replaceChildren(h("p", { role: "status", id: "erasure-state" }, "Erasing…"));
        await finished(d, started.state);
        d.signOut();
        terms.replaceChildren(h("p", { role: "status", id: "erasure-state" }, "Everything Tandem held about you is erased."));
      }));
    }),
    terms,
  ];
}

/** Waits until every service confirmed, looking every second. */
async function finished(d: MyData, state: Erasure_State): Promise<void> {
  while (state !== Erasure_State.COMPLETED) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    state = (await d.erasure.getMyErasure({})).state;
  }
}
