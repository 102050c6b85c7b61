import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  RelapseRole, RelapseTimeframe, SafetyPlanSectionSchema, type SafetyPlanContact, type SafetyPlanSection,
} from "./gen/tandem/api/v1/plans_pb";
import { form, h, labelled, lines, textOf } from "./dom";
import type { Together } from "./talking/together";

type Section = MessageInitShape<typeof SafetyPlanSectionSchema>;

const TIMEFRAMES: [RelapseTimeframe, string][] = [
  [RelapseTimeframe.RELAPSE_IMMEDIATELY, "right away"],
  [RelapseTimeframe.RELAPSE_FIRST_WEEK, "in the first week"],
  [RelapseTimeframe.RELAPSE_FIRST_MONTH, "in the first month"],
];
// each role as its author writes it and as their partner reads it
const ROLES: [RelapseRole, string, string][] = [
  [RelapseRole.IF_I_LAPSE, "If I lapse", "If they lapse"],
  [RelapseRole.IF_MY_PARTNER_LAPSES, "If my partner lapses", "If you lapse"],
];
const stepField = (role: RelapseRole, timeframe: RelapseTimeframe) => `steps-${role}-${timeframe}`;

/**
 * The safety plan: each partner writes their own section (the partner reads it while the journal is shared), keeps
 * some items only for themselves, acknowledges a draft and compares versions.
 */
export async function safetyPlanPage(t: Together): Promise<Node[]> {
  const [plan, history] = await Promise.all([t.plans.getSafetyPlan({ coupleId: t.coupleId, locale: navigator.language }),
    t.plans.getSafetyPlanHistory({ coupleId: t.coupleId })]);
  const current = plan.draft ?? plan.agreed;
  const found = current?.sections.find((s) => s.personId === t.me);
  const mine: Section = found ? { ...found, $typeName: undefined } : {};
  const nodes: Node[] = [];
  if (plan.crisisLines.length) {
    nodes.push(h("h2", {}, "Crisis lines"), h("ul", { class: "items" }, ...plan.crisisLines.map((line) => h("li", {}, `${line.name}: ${line.phone} ${line.hours}`))));
  }
  nodes.push(h("p", {}, !current ? "No plan yet: start with your section."
    : plan.coupleDissolved ? `Version ${current.version}: your own section.`
    : `Version ${current.version}, ${plan.draft ? "a draft" : "agreed"}; acknowledged by ${current.acknowledgedByPersonIds.length} of you.`));
  if (plan.draft && !plan.coupleDissolved && !plan.draft.acknowledgedByPersonIds.includes(t.me)) {
    const ackKey = crypto.randomUUID();
    nodes.push(form([], `Acknowledge version ${plan.draft.version}`, async () => {
      await t.plans.acknowledgeSafetyPlan({ idempotencyKey: ackKey, coupleId: t.coupleId, version: plan.draft!.version });
      t.refresh();
    }));
  }
  const partners = plan.coupleDissolved ? [] : (current?.sections ?? []).filter((s) => s.personId !== t.me);
  for (const section of partners) {
    nodes.push(h("h2", {}, "My partner's section"), sectionView(section));
  }
  const editKey = crypto.randomUUID();
  nodes.push(h("h2", {}, "My section"), h("p", {}, plan.coupleDissolved ? "Only you see your section now." : "Your partner sees this section."), form([
    labelled("Warning signs (one a line)", textarea("warning", mine.warningSigns)),
    labelled("What can set me off (one a line)", textarea("triggers", mine.triggers)),
    labelled("What helps me cope (one a line)", textarea("coping", mine.copingStrategies)),
    labelled("People who take my mind off things (name, phone, who they are — one a line)", textarea("distraction-people", contactLines(mine.distractionPeople))),
    labelled("Places that take my mind off things (one a line)", textarea("distraction-places", mine.distractionPlaces)),
    labelled("People I can call (name, phone, who they are — one a line)", textarea("contacts", contactLines(mine.helpContacts))),
    labelled("Professionals I can call (name, phone, who they are — one a line)", textarea("professionals", contactLines(mine.professionals))),
    labelled("Making my surroundings safer (one a line)", textarea("safer", mine.saferEnvironment)),
    labelled("Reasons for recovery (one a line)", textarea("reasons", mine.reasonsForRecovery)),
    labelled("Where the naloxone is", h("input", { type: "text", name: "naloxone", value: mine.naloxoneLocation ?? "" })),
    ...ROLES.map(([role, roleText]) => h("fieldset", {}, h("legend", {}, roleText),
      ...TIMEFRAMES.map(([timeframe, when]) => labelled(`${roleText}, what I will do ${when} (one a line)`, textarea(stepField(role, timeframe),
        (mine.relapseResponse ?? []).filter((s) => s.role === role && s.timeframe === timeframe).map((s) => s.text ?? "")))))),
  ], "Save my section", async (data) => {
    await t.plans.editSafetyPlanSection({ idempotencyKey: editKey, coupleId: t.coupleId, section: { ...mine, personId: t.me,
      warningSigns: lines(data.get("warning")), triggers: lines(data.get("triggers")), copingStrategies: lines(data.get("coping")),
      distractionPeople: contacts(data.get("distraction-people")), distractionPlaces: lines(data.get("distraction-places")),
      helpContacts: contacts(data.get("contacts")), professionals: contacts(data.get("professionals")),
      saferEnvironment: lines(data.get("safer")), reasonsForRecovery: lines(data.get("reasons")),
      naloxoneLocation: String(data.get("naloxone") ?? ""),
      relapseResponse: TIMEFRAMES.flatMap(([timeframe]) => ROLES.flatMap(([role]) =>
        lines(data.get(stepField(role, timeframe))).map((text) => ({ timeframe, role, text })))) } });
    t.refresh();
  }));
  const privateKey = crypto.randomUUID();
  const kept = plan.privateItems;
  nodes.push(h("h2", {}, "Only for me"), h("p", {}, "Never shown to your partner, in no version and no comparison, and saving it tells nobody."), form([
    labelled("Private warning signs (one a line)", textarea("private-warning", kept?.warningSigns, "2")),
    labelled("Private people or places I can call (name, phone, who they are — one a line)", textarea("private-contacts", contactLines(kept?.helpContacts), "2")),
  ], "Save what is only for me", async (data) => {
    await t.plans.editSafetyPlanSection({ idempotencyKey: privateKey, coupleId: t.coupleId, privateItems: { ...(kept ?? {}), $typeName: undefined,
      personId: t.me, warningSigns: lines(data.get("private-warning")), helpContacts: contacts(data.get("private-contacts")) } });
    t.refresh();
  }));
  if (history.versions.length > 1) {
    const versions = history.versions.map((v) => h("option", { value: String(v.version) }, `version ${v.version}`));
    const result = h("div", { role: "status" });
    nodes.push(h("h2", {}, "Compare versions"), form([
      labelled("From", h("select", { name: "from" }, ...versions.map((o) => o.cloneNode(true)))),
      labelled("To", h("select", { name: "to" }, ...versions.map((o) => o.cloneNode(true)))),
    ], "Compare", async (data) => {
      const comparison = await t.plans.compareSafetyPlanVersions({ coupleId: t.coupleId, fromVersion: Number(data.get("from")), toVersion: Number(data.get("to")) });
      result.replaceChildren(comparison.changes.length ? h("ul", { class: "items" }, ...comparison.changes.map((c) =>
        h("li", {}, `${c.personId === t.me ? "You" : "Your partner"}, ${textOf(c.field)}: ${c.added.map((a) => "+ " + a).concat(c.removed.map((r) => "− " + r)).join("; ")}`)))
        : h("p", {}, "No changes."));
    }), result);
  }
  return nodes;
}

/** A section to read: each part that holds something, under the words its author filled it in with. */
function sectionView(section: SafetyPlanSection): HTMLElement {
  const parts: [string, string[]][] = [
    ["Warning signs", section.warningSigns],
    ["What can set them off", section.triggers],
    ["What helps them cope", section.copingStrategies],
    ["People who take their mind off things", section.distractionPeople.map(contactText)],
    ["Places that take their mind off things", section.distractionPlaces],
    ["People they can call", section.helpContacts.map(contactText)],
    ["Professionals they can call", section.professionals.map(contactText)],
    ["Making their surroundings safer", section.saferEnvironment],
    ["Reasons for recovery", section.reasonsForRecovery],
    ["Where the naloxone is", section.naloxoneLocation ? [section.naloxoneLocation] : []],
    ...ROLES.flatMap(([role, , read]) => TIMEFRAMES.map(([timeframe, when]): [string, string[]] =>
      [`${read}, ${when}`,
        section.relapseResponse.filter((s) => s.role === role && s.timeframe === timeframe).map((s) => s.text)])),
  ];
  // an item whose author's key is gone reads as empty: nothing to show
  const filled = parts.map(([title, items]): [string, string[]] => [title, items.filter(Boolean)]).filter(([, items]) => items.length);
  if (!filled.length) return h("p", {}, "Nothing written yet.");
  return h("dl", { class: "section" }, ...filled.flatMap(([title, items]) => [h("dt", {}, title), ...items.map((item) => h("dd", {}, item))]));
}

function contactText(contact: SafetyPlanContact): string {
  return [contact.name, contact.relationship && `(${contact.relationship})`, contact.phone].filter(Boolean).join(" ");
}

function textarea(name: string, value: string[] | string | undefined, rows = "3"): HTMLElement {
  return h("textarea", { name, rows }, Array.isArray(value) ? value.join("\n") : value ?? "");
}

/** Contacts as the plan's form shows them: "name, phone" a line, and ", who they are" when the author said. */
function contactLines(list: Partial<SafetyPlanContact>[] | undefined): string {
  return (list ?? []).map((c) => [c.name ?? "", c.phone ?? "", ...(c.relationship ? [c.relationship] : [])].join(", ")).join("\n");
}

/**
 * "name, phone, who they are" lines back into contacts; the service refuses a phone it cannot dial, naming the line.
 */
function contacts(value: FormDataEntryValue | null): { name: string; phone: string; relationship: string }[] {
  return lines(value).map((line) => {
    const [name, phone = "", ...who] = line.split(",").map((part) => part.trim());
    return { name, phone, relationship: who.join(", ") };
  });
}
