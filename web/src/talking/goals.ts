import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import {
  SharedGoalAnswer, SharedGoalKind, SharedGoalRhythm, SharedGoalStage, StepStatus, type SharedGoal, type WeekTogether,
} from "../gen/tandem/api/v1/plans_pb";
import { button, form, h, labelled, options, textOf } from "../dom";
import { day, type Together } from "./together";
import { kind as victoryKind } from "./victories";

const KINDS = options(SharedGoalKind, "SHARED_GOAL_KIND_UNSPECIFIED");
const kind = (value: number) => value === SharedGoalKind.SHARED_GOAL_OTHER ? "something else"
  : textOf(SharedGoalKind[value].replace(/^SHARED_GOAL_/, ""));
const WEEKS_AT_A_TIME = 4;
const WEEK_MS = 7 * 86400_000;

/** Goals the two of them agree on, marked once a week by each, and a gentle look back at their weeks. */
export async function togetherPage(t: Together): Promise<Node[]> {
  // the services' clock decides which week it is (weeks start on Monday, UTC), not the phone's
  const [{ goals }, thisWeek] = await Promise.all([t.plans.listSharedGoals({ coupleId: t.coupleId }),
    t.plans.getWeekTogether({ coupleId: t.coupleId })]);
  const proposeKey = crypto.randomUUID();
  const weeks = h("div", { id: "weeks" });
  let shown = [thisWeek];
  const earlier = button("Earlier weeks", async () => {
    earlier.disabled = true; // one step back at a time
    try {
      const oldest = timestampDate(shown[shown.length - 1].weekStart!).getTime();
      const more = await Promise.all(Array.from({ length: WEEKS_AT_A_TIME }, (_, i) =>
        t.plans.getWeekTogether({ coupleId: t.coupleId, weekOf: timestampFromDate(new Date(oldest - (i + 1) * WEEK_MS)) })));
      shown = [...shown, ...more];
      weeks.append(...more.map((w) => weekItem(t, w, false)));
    } finally {
      earlier.disabled = false;
    }
  }, "secondary");
  weeks.append(weekItem(t, thisWeek, true));
  return [
    h("p", { class: "note" }, "Goals for the two of you beyond recovery: something to do together, a hobby, a health habit. "
      + "A goal is yours together once your partner agrees; each of you marks it once a week."),
    goals.length ? h("ul", { class: "items", id: "goals" }, ...goals.map((g) => goalItem(t, g, thisWeek.weekStart)))
      : h("p", {}, "No goals yet."),
    h("h2", {}, "Our week"),
    h("p", { id: "victory-total" }, sharedSoFar(t, thisWeek)),
    weeks,
    h("div", { class: "actions" }, earlier),
    h("h2", {}, "Suggest a goal"),
    form([
      labelled("Kind", h("select", { name: "kind" }, ...KINDS.map(([, value]) => h("option", { value: String(value) }, kind(value))))),
      labelled("In a few words", h("input", { type: "text", name: "title", required: "", maxlength: "100" })),
      h("p", {}, "Weekly: each of you marks it once a week."),
    ], "Suggest to my partner", async (data) => {
      await t.plans.proposeSharedGoal({ idempotencyKey: proposeKey, coupleId: t.coupleId, kind: Number(data.get("kind")),
        title: String(data.get("title")).trim(), rhythm: SharedGoalRhythm.SHARED_GOAL_WEEKLY });
      t.refresh();
    }),
  ];
}

function goalItem(t: Together, g: SharedGoal, weekStart: Timestamp | undefined): HTMLElement {
  const mine = g.proposedByPersonId === t.me;
  const item = h("li", {}, h("p", {}, h("strong", {}, g.title || "(words removed)"), ` · ${kind(g.kind)} · ${stage(g, mine)}`));
  const act = (action: () => Promise<unknown>) => async () => { await action(); t.refresh(); };
  const retireKey = crypto.randomUUID();
  const retire = act(() => t.plans.retireSharedGoal({ idempotencyKey: retireKey, goalId: g.goalId }));
  switch (g.stage) {
    case SharedGoalStage.SHARED_GOAL_PROPOSED:
      if (mine) {
        item.append(h("div", { class: "actions" }, button("Withdraw", retire, "secondary")));
      } else {
        const answer = (value: SharedGoalAnswer) => {
          const key = crypto.randomUUID();
          return act(() => t.plans.answerSharedGoal({ idempotencyKey: key, goalId: g.goalId, answer: value }));
        };
        item.append(h("div", { class: "actions" }, button("Agree", answer(SharedGoalAnswer.SHARED_GOAL_AGREE)),
          button("Decline", answer(SharedGoalAnswer.SHARED_GOAL_DECLINE), "secondary")), h("p", {}, "Declining needs no reason."));
      }
      break;
    case SharedGoalStage.SHARED_GOAL_AGREED: {
      const start = weekStart ? timestampDate(weekStart).getTime() : NaN;
      const doneBy = g.marks.filter((m) => m.weekStart && timestampDate(m.weekStart).getTime() === start).map((m) => m.personId);
      item.append(h("p", {}, `This week: ${doneBy.length ? `done by ${people(t, doneBy)}` : "not yet"}`));
      const markKey = crypto.randomUUID();
      item.append(h("div", { class: "actions" },
        doneBy.includes(t.me) ? "" : button("We did it this week", act(() => t.plans.markSharedGoalDone({ idempotencyKey: markKey, goalId: g.goalId }))),
        button("Retire", retire, "secondary")));
      break;
    }
  }
  return item;
}

function stage(g: SharedGoal, mine: boolean): string {
  switch (g.stage) {
    case SharedGoalStage.SHARED_GOAL_PROPOSED: return mine ? "waiting for your partner's answer" : "your partner suggests it";
    case SharedGoalStage.SHARED_GOAL_AGREED: return `agreed ${day(g.agreedAt)}`;
    case SharedGoalStage.SHARED_GOAL_DECLINED: return "not now";
    case SharedGoalStage.SHARED_GOAL_RETIRED: return `retired ${day(g.retiredAt)}`;
    default: return "";
  }
}

/** "you", "your partner", or "you and your partner". */
function people(t: Together, personIds: string[]): string {
  const names = [...new Set(personIds)].sort((x, y) => Number(y === t.me) - Number(x === t.me))
    .map((p) => p === t.me ? "you" : "your partner");
  return names.join(" and ");
}

function sharedSoFar(t: Together, w: WeekTogether): string {
  const count = (mine: boolean) => w.victoryTotals.filter((v) => (v.personId === t.me) === mine).reduce((sum, v) => sum + v.count, 0);
  return `Victories shared so far: ${count(true)} by you, ${count(false)} by your partner.`;
}

/** Weeks are the services' (Monday to Sunday, UTC), so their days are shown in UTC too. */
function weekTitle(w: WeekTogether, current: boolean): string {
  if (current) return "This week";
  const shown = (at: Timestamp | undefined, back = 0) => at
    ? new Date(timestampDate(at).getTime() - back).toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" }) : "";
  return `${shown(w.weekStart)} – ${shown(w.weekEnd, 1)}`;
}

/** One week looked back on: only what happened, and a kind word when little did. */
function weekItem(t: Together, w: WeekTogether, current: boolean): HTMLElement {
  const who = (personId: string) => personId === t.me ? "you" : "your partner";
  const goals = w.goals.filter((g) => g.doneByPersonIds.length);
  const steps = w.steps.map((s) => h("li", {}, `${s.step?.text ?? ""} · ${who(s.step?.ownerPersonId ?? "")} · `
    + (s.status === StepStatus.STEP_DONE ? `done ${day(s.step?.doneAt)}` : `still open, by ${day(s.step?.dueAt)}`)));
  const parts: Node[] = [];
  if (goals.length) {
    parts.push(h("p", {}, "Goals"), h("ul", { class: "steps" }, ...goals.map((g) => h("li", {}, `${g.title || kind(g.kind)}: ${people(t, g.doneByPersonIds)}`))));
  }
  if (w.sharedVictories.length) {
    parts.push(h("p", {}, "Shared victories"), h("ul", { class: "steps" }, ...w.sharedVictories.map((v) =>
      h("li", {}, `${v.personId === t.me ? "You" : "Your partner"}: ${victoryKind(v.kind)}, ${day(v.recordedAt)}`))));
  }
  if (steps.length) parts.push(h("p", {}, "Steps you agreed"), h("ul", { class: "steps" }, ...steps));
  return h("section", { class: "week" }, h("h3", {}, weekTitle(w, current)),
    ...(parts.length ? parts : [h("p", {}, current ? "Nothing noted yet this week, and that is fine." : "A quiet week. Quiet weeks are part of it too.")]));
}
