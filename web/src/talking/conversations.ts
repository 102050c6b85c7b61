import {
  ConversationAnswer, ConversationIntention, ConversationStage, StepOwner, type Conversation, type ConversationPreparation,
} from "../gen/tandem/api/v1/plans_pb";
import { button, form, h, labelled, lines, options, textOf, when } from "../dom";
import { dateTimeValue, dateValue, day, endOfDay, fromDateTime, tomorrowEvening, type Together } from "./together";

const INTENTIONS = options(ConversationIntention, "CONVERSATION_INTENTION_UNSPECIFIED");
const intention = (value: number) => `to ${textOf(ConversationIntention[value].replace(/^INTENTION_/, ""))}`;
const STEP_ROWS = 3;

/** Hard conversations: prepared alone, then an invitation with a time and place, then the steps agreed. */
export async function talkPage(t: Together): Promise<Node[]> {
  const { conversations } = await t.plans.listConversations({ coupleId: t.coupleId, locale: navigator.language });
  const prepareKey = crypto.randomUUID();
  return [
    h("p", { class: "note" }, "Prepare a hard conversation on your own first, then invite your partner with a time and place. "
      + "Your partner sees the invitation, never what you prepared."),
    conversations.length ? h("ul", { class: "items", id: "conversations" }, ...conversations.map((c) => conversationItem(t, c)))
      : h("p", {}, "No conversations yet."),
    h("h2", {}, "Prepare a conversation"),
    h("p", { class: "private", id: "preparation-privacy" }, "Only for you: your partner never sees your preparation."),
    form([
      h("fieldset", {}, h("legend", {}, "What I want from it"), ...INTENTIONS.map(([, value]) =>
        h("label", { class: "inline" }, h("input", { type: "checkbox", name: "intention", value: String(value) }), intention(value)))),
      labelled("Points I want to make (one a line, up to 10)", h("textarea", { name: "points", rows: "3" })),
      labelled("What I need from my partner", h("textarea", { name: "need", rows: "2", maxlength: "500" })),
      labelled("Support I can call on", h("input", { type: "text", name: "support", maxlength: "500" })),
    ], "Save my preparation", async (data) => {
      await t.plans.prepareConversation({ idempotencyKey: prepareKey, coupleId: t.coupleId, preparation: {
        intentions: data.getAll("intention").map(Number), points: lines(data.get("points")),
        whatINeed: String(data.get("need") ?? "").trim(), support: String(data.get("support") ?? "").trim() } });
      t.refresh();
    }),
  ];
}

function conversationItem(t: Together, c: Conversation): HTMLElement {
  const mine = c.preparedByPersonId === t.me;
  const who = (personId: string) => personId === t.me ? "you" : "your partner";
  const item = h("li", {}, h("p", {}, h("strong", {}, mine ? "Your conversation" : "Your partner asks to talk"),
    ` · prepared ${day(c.preparedAt)} · ${stage(t, c)}`));
  if (c.proposedTime) {
    const agreed = c.stage === ConversationStage.CONVERSATION_AGREED || c.stage === ConversationStage.CONVERSATION_HELD;
    item.append(h("p", {}, `${agreed ? "Agreed" : `Proposed by ${who(c.proposedByPersonId)}`}: ${when(c.proposedTime)}`,
      c.place ? ` · ${c.place}` : ""));
  }
  if (c.guidance) item.append(h("p", { class: "guidance" }, c.guidance));
  if (c.preparation) item.append(preparation(c.preparation));
  switch (c.stage) {
    case ConversationStage.CONVERSATION_PREPARED:
      if (mine) item.append(invitation(t, c));
      break;
    case ConversationStage.CONVERSATION_INVITED:
      if (c.awaitingAnswerFromPersonId === t.me) item.append(...answers(t, c));
      break;
    case ConversationStage.CONVERSATION_AGREED:
      item.append(agreedSteps(t, c));
      break;
    case ConversationStage.CONVERSATION_HELD:
      item.append(h("ul", { class: "steps" }, ...c.steps.map((s) => h("li", {},
        `${s.text} · ${who(s.ownerPersonId)} · by ${day(s.dueAt)} · `,
        s.done ? `done ${day(s.doneAt)}` : s.ownerPersonId === t.me ? button("Mark done", async () => {
          await t.plans.completeConversationStep({ idempotencyKey: `${c.conversationId}/${s.stepId}`, conversationId: c.conversationId, stepId: s.stepId });
          t.refresh();
        }) : "to do"))));
      break;
  }
  return item;
}

function stage(t: Together, c: Conversation): string {
  switch (c.stage) {
    case ConversationStage.CONVERSATION_PREPARED: return "not yet invited";
    case ConversationStage.CONVERSATION_INVITED:
      return c.awaitingAnswerFromPersonId === t.me ? "waiting for your answer" : "waiting for your partner's answer";
    case ConversationStage.CONVERSATION_AGREED: return "time agreed";
    case ConversationStage.CONVERSATION_DECLINED: return "not now";
    case ConversationStage.CONVERSATION_HELD: return "talked; the steps you agreed";
    default: return "";
  }
}

/** The author's own preparation, marked as theirs alone (the server gives it to no one else). */
function preparation(p: ConversationPreparation): HTMLElement {
  return h("div", { class: "private preparation" }, h("p", {}, h("strong", {}, "Only for you")),
    p.intentions.length ? h("p", {}, `I want ${p.intentions.map(intention).join(", ")}.`) : "",
    p.points.length ? h("ul", {}, ...p.points.map((point) => h("li", {}, point))) : "",
    p.whatINeed ? h("p", {}, `What I need: ${p.whatINeed}`) : "",
    p.support ? h("p", {}, `Support I can call on: ${p.support}`) : "");
}

function timeField(name: string, label: string): DocumentFragment {
  return labelled(label, h("input", { type: "datetime-local", name, required: "", min: dateTimeValue(new Date()),
    value: dateTimeValue(tomorrowEvening()) }));
}

function place(label: string): DocumentFragment {
  return labelled(label, h("input", { type: "text", name: "place", maxlength: "200" }));
}

function invitation(t: Together, c: Conversation): HTMLFormElement {
  const key = crypto.randomUUID();
  return form([timeField("time", "When"), place("Where (optional; your partner sees it)")], "Invite my partner", async (data) => {
    await t.plans.inviteToConversation({ idempotencyKey: key, conversationId: c.conversationId, proposedTime: fromDateTime(data.get("time")),
      place: String(data.get("place") ?? "").trim() });
    t.refresh();
  });
}

/** Accept, decline (no reason asked) or propose another time. */
function answers(t: Together, c: Conversation): Node[] {
  const answer = (value: ConversationAnswer) => {
    const key = crypto.randomUUID();
    return async () => {
      await t.plans.answerConversation({ idempotencyKey: key, conversationId: c.conversationId, answer: value });
      t.refresh();
    };
  };
  const proposeKey = crypto.randomUUID();
  return [
    h("div", { class: "actions" }, button("Accept", answer(ConversationAnswer.CONVERSATION_ACCEPT)),
      button("Decline", answer(ConversationAnswer.CONVERSATION_DECLINE), "secondary")),
    h("p", {}, "Declining needs no reason."),
    form([timeField("time", "Another time"), place("Another place (optional)")], "Propose this time", async (data) => {
      await t.plans.answerConversation({ idempotencyKey: proposeKey, conversationId: c.conversationId,
        answer: ConversationAnswer.CONVERSATION_PROPOSE_ANOTHER_TIME, proposedTime: fromDateTime(data.get("time")),
        place: String(data.get("place") ?? "").trim() });
      t.refresh();
    }),
  ];
}

/** After the talk: up to three steps, each with its owner and a due date (a week ahead unless changed). */
function agreedSteps(t: Together, c: Conversation): Node {
  const key = crypto.randomUUID();
  const week = new Date();
  week.setDate(week.getDate() + 7);
  const rows = Array.from({ length: STEP_ROWS }, (_, i) => h("fieldset", {}, h("legend", {}, `Step ${i + 1}`),
    labelled("What", h("input", { type: "text", name: "step", maxlength: "500", ...(i === 0 ? { required: "" } : {}) })),
    labelled("Who", h("select", { name: "owner" }, h("option", { value: String(StepOwner.ME) }, "me"),
      h("option", { value: String(StepOwner.MY_PARTNER) }, "my partner"))),
    labelled("By", h("input", { type: "date", name: "due", required: "", min: dateValue(new Date()), value: dateValue(week) }))));
  return h("div", {}, h("h3", {}, "After you have talked"), form(rows, "Save the steps we agreed", async (data) => {
    const [texts, owners, dues] = [data.getAll("step"), data.getAll("owner"), data.getAll("due")];
    const steps = texts.map((text, i) => ({ text: String(text).trim(), owner: Number(owners[i]), dueAt: endOfDay(dues[i]) }))
      .filter((s) => s.text);
    await t.plans.recordAgreedSteps({ idempotencyKey: key, conversationId: c.conversationId, steps });
    t.refresh();
  }));
}
