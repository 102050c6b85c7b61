import { NeedAnswer, NeedKind, type Need } from "../gen/tandem/api/v1/plans_pb";
import { button, form, h, labelled, when } from "../dom";
import type { Together } from "./together";

const ANSWERS: [NeedAnswer, string][] = [[NeedAnswer.NEED_I_CAN_DO_THAT, "I can do that"], [NeedAnswer.NEED_LETS_TALK_ABOUT_IT, "Let's talk about it"]];
const answer = (value: NeedAnswer) => ANSWERS.find(([a]) => a === value)?.[1] ?? "";

/** Needs, not urgent: from the partner this week or for oneself; the partner answers each once. */
export async function needsPage(t: Together): Promise<Node[]> {
  const { needs } = await t.plans.listNeeds({ coupleId: t.coupleId });
  const key = crypto.randomUUID();
  return [
    h("p", { class: "note" }, "Your partner sees what you write here and can answer it. Need support right now? Use Support now."),
    form([
      h("fieldset", {}, h("legend", {}, "Kind of need"),
        h("label", { class: "inline" }, h("input", { type: "radio", name: "kind", value: String(NeedKind.NEED_FROM_YOU_THIS_WEEK), checked: "" }),
          "What I need from you this week"),
        h("label", { class: "inline" }, h("input", { type: "radio", name: "kind", value: String(NeedKind.NEED_FOR_MYSELF) }),
          "What I need for myself")),
      labelled("What I need", h("input", { type: "text", name: "text", required: "", maxlength: "200" })),
    ], "Tell my partner", async (data) => {
      await t.plans.expressNeed({ idempotencyKey: key, coupleId: t.coupleId, kind: Number(data.get("kind")), text: String(data.get("text")).trim() });
      t.refresh();
    }),
    needs.length ? h("ul", { class: "items", id: "needs" }, ...needs.map((n) => needItem(t, n))) : h("p", {}, "No needs written yet."),
  ];
}

function needItem(t: Together, n: Need): HTMLElement {
  const mine = n.personId === t.me;
  const kind = n.kind === NeedKind.NEED_FOR_MYSELF ? (mine ? "What I need for myself" : "What your partner needs for themselves")
    : mine ? "What I need from you this week" : "What your partner needs from you this week";
  const item = h("li", {}, h("p", {}, h("strong", {}, kind), ` · ${when(n.expressedAt)}`), h("p", {}, n.text));
  if (n.answer) {
    item.append(h("p", {}, `${mine ? "Your partner" : "You"}: ${answer(n.answer)}`));
  } else if (mine) {
    item.append(h("p", {}, "Not answered yet."));
  } else {
    const key = crypto.randomUUID();
    item.append(h("div", { class: "actions", role: "group", "aria-label": "Answer this need" }, ...ANSWERS.map(([value, text]) =>
      button(text, async () => {
        await t.plans.answerNeed({ idempotencyKey: key, needId: n.needId, answer: value });
        t.refresh();
      }, "secondary"))));
  }
  return item;
}
