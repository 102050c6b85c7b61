import { Visibility } from "../gen/tandem/api/v1/journal_pb";
import { VictoryKind, VictoryReaction, type Victory } from "../gen/tandem/api/v1/plans_pb";
import { button, form, h, labelled, options, textOf, when } from "../dom";
import type { Together } from "./together";

const KINDS = options(VictoryKind, "VICTORY_KIND_UNSPECIFIED");
const REACTIONS = options(VictoryReaction, "VICTORY_REACTION_UNSPECIFIED");
export const kind = (value: number) => value === VictoryKind.VICTORY_OTHER ? "something else"
  : value === VictoryKind.VICTORY_KIND_UNSPECIFIED ? "a victory" : textOf(VictoryKind[value].replace(/^VICTORY_/, ""));
const reaction = (value: number) => {
  const text = textOf(VictoryReaction[value].replace(/^REACTION_/, ""));
  return text.charAt(0).toUpperCase() + text.slice(1);
};
const PRIVATE = "Private: only you see this victory.";
const SHARED = "Shared: your partner sees this victory and can cheer it.";

/** Small victories: private unless shared, the partner's shared ones to acknowledge with a short reaction. */
export async function victoriesPage(t: Together): Promise<Node[]> {
  const { victories, sharedByMe, sharedByPartner } = await t.plans.listVictories({ coupleId: t.coupleId });
  const mine = victories.filter((v) => v.personId === t.me);
  const partners = victories.filter((v) => v.personId !== t.me);
  const share = h("input", { type: "checkbox", name: "share", id: "victory-share" }) as HTMLInputElement;
  const privacy = h("p", { class: "note", id: "victory-privacy" }, PRIVATE);
  share.addEventListener("change", () => { privacy.textContent = share.checked ? SHARED : PRIVATE; });
  const key = crypto.randomUUID();
  return [
    privacy,
    form([
      labelled("What went well", h("select", { name: "kind" }, ...KINDS.map(([, value]) => h("option", { value: String(value) }, kind(value))))),
      labelled("In your own words (optional; needed for something else)", h("input", { type: "text", name: "text", maxlength: "300" })),
      h("label", { class: "inline" }, share, "Share with my partner"),
    ], "Save victory", async (data) => {
      await t.plans.recordVictory({ idempotencyKey: key, coupleId: t.coupleId, kind: Number(data.get("kind")),
        text: String(data.get("text") ?? "").trim(), visibility: share.checked ? Visibility.SHARED_WITH_PARTNER : Visibility.PRIVATE });
      t.refresh();
    }),
    h("p", { id: "victory-counts" }, `Shared so far: ${sharedByMe} by you, ${sharedByPartner} by your partner.`),
    h("h2", {}, "Mine"),
    mine.length ? h("ul", { class: "items", id: "my-victories" }, ...mine.map((v) => h("li", {}, ...about(v),
      h("p", {}, v.visibility === Visibility.SHARED_WITH_PARTNER ? "shared" : "private"),
      v.reaction ? h("p", {}, `Your partner: ${reaction(v.reaction)}`) : "")))
      : h("p", {}, "None yet. Small steps count."),
    h("h2", {}, "Your partner's"),
    partners.length ? h("ul", { class: "items", id: "partner-victories" }, ...partners.map((v) => h("li", {}, ...about(v),
      v.reaction ? h("p", {}, `You: ${reaction(v.reaction)}`) : acknowledge(t, v))))
      : h("p", {}, "None shared yet."),
  ];
}

function about(v: Victory): Node[] {
  return [h("p", {}, h("strong", {}, kind(v.kind)), ` · ${when(v.recordedAt)}`), ...(v.text ? [h("p", {}, v.text)] : [])];
}

function acknowledge(t: Together, v: Victory): HTMLElement {
  const key = crypto.randomUUID();
  return h("div", { class: "actions", role: "group", "aria-label": "Cheer this victory" }, ...REACTIONS.map(([, value]) =>
    button(reaction(value), async () => {
      await t.plans.acknowledgeVictory({ idempotencyKey: key, victoryId: v.victoryId, reaction: value });
      t.refresh();
    }, "secondary")));
}
