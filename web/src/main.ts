import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  CareItemKind, CareService, ConsentPurpose, ConsentService, ConsentStatus, DisclosureScope, type CareEvent, type Consent,
} from "./gen/tandem/api/v1/care_pb";
import { CoupleService } from "./gen/tandem/api/v1/couples_pb";
import { JournalService, Trigger, Visibility } from "./gen/tandem/api/v1/journal_pb";
import { NotificationKind, NotificationService } from "./gen/tandem/api/v1/notifications_pb";
import { ErasureService, PrivacyService } from "./gen/tandem/api/v1/privacy_pb";
import {
  BoundaryAppliesTo, BoundaryCategory, BoundaryState, PlansService, type Boundary,
} from "./gen/tandem/api/v1/plans_pb";
import { Substance } from "./gen/tandem/api/v1/recovery_pb";
import { myDataPage } from "./myData";
import { installQuickExit } from "./quickExit";
import { safetyPlanPage } from "./safetyPlan";
import { talkPage } from "./talking/conversations";
import { togetherPage } from "./talking/goals";
import { needsPage } from "./talking/needs";
import type { Together } from "./talking/together";
import { victoriesPage } from "./talking/victories";
import { button, form, h, labelled, options, problem, sha256Hex, textOf, when } from "./dom";

// The session lives in this tab only: closing it, or a quick exit, leaves no token or couple behind.
const session = {
  get token() { return sessionStorage.getItem("token"); },
  get person() { return sessionStorage.getItem("person"); },
  get couple() { return sessionStorage.getItem("couple"); },
  // the client a counselor looks at
  get client() { return sessionStorage.getItem("client"); },
  // the person's opaque id inside Tandem, once known (learnWhoIAm)
  set(key: "token" | "person" | "couple" | "client", value: string) { sessionStorage.setItem(key, value); },
};

const bearer: Interceptor = (next) => async (request) => {
  if (session.token) request.header.set("authorization", `Bearer ${session.token}`);
  return next(request);
};
const transport = createGrpcWebTransport({ baseUrl: location.origin, interceptors: [bearer] });
const couples = createClient(CoupleService, transport);
const journal = createClient(JournalService, transport);
const notifications = createClient(NotificationService, transport);
const plans = createClient(PlansService, transport);
const care = createClient(CareService, transport);
const consents = createClient(ConsentService, transport);
const privacy = createClient(PrivacyService, transport);
const erasure = createClient(ErasureService, transport);

/** Whether the token is a counselor's: it only picks the pages to offer, the server checks every call's role itself. */
function counselor(): boolean {
  try {
    const claims = JSON.parse(atob(session.token!.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return Array.isArray(claims.roles) && claims.roles.includes("counselor");
  } catch {
    return false;
  }
}

const main = document.getElementById("main")!;
const nav = document.getElementById("nav")!;

// pages of a group share one entry in the navigation, so that it stays one line on a phone
type Page = { title: string; render: () => Promise<Node[]> | Node[]; group?: string };
const US = "Us two", MORE = "More";
const pages: Record<string, Page> = {
  "sign-in": { title: "Sign in", render: signIn },
  "check-in": { title: "Check in", render: checkIn },
  journal: { title: "Journal", render: journalPage },
  support: { title: "Support now", render: supportPage },
  together: { title: "Together", render: () => togetherPage(together()), group: US },
  talk: { title: "Talk", render: () => talkPage(together()), group: US },
  victories: { title: "Victories", render: () => victoriesPage(together()), group: US },
  needs: { title: "Needs", render: () => needsPage(together()), group: US },
  couple: { title: "Couple", render: couplePage, group: US },
  boundaries: { title: "Boundaries", render: boundariesPage, group: MORE },
  "safety-plan": { title: "Safety plan", render: () => safetyPlanPage(together()), group: MORE },
  tasks: { title: "Relapse tasks", render: tasksPage, group: MORE },

  consent: { title: "Counselors", render: consentPage, group: MORE },
  "my-data": { title: "My data", render: () => myDataPage({ privacy, erasure, signOut }), group: MORE },
};
// a counselor's pages: a counselor never sees a partner's, nor a partner these
const counselorPages: Record<string, Page> = {
  clients: { title: "My clients", render: clientsPage },
  "care-feed": { title: "Client feed", render: careFeedPage },
  summary: { title: "Client summary", render: summaryPage },
};

/** Ends the tab's session: its token, the live feed and what it showed go, and only signing in is offered. */
function signOut() {
  sessionStorage.clear();
  following?.abort();
  following = undefined;
  nav.hidden = true;
  document.getElementById("feed")!.hidden = true;
  document.getElementById("feed-items")!.replaceChildren();
}

/** Moves between pages without adding to the browser's history, so a quick exit leaves nothing to go back to. */
function go(page: string) {
  if (location.hash === `#/${page}`) void show();
  else location.replace(`#/${page}`);
}

let shown = 0;

async function show() {
  const generation = ++shown;
  const wanted = location.hash.replace(/^#\//, "") || "";
  const offered = session.token && counselor() ? counselorPages : pages;
  const name = !session.token ? "sign-in" : offered[wanted] && wanted !== "sign-in" ? wanted
    : offered === counselorPages ? "clients" : session.couple ? "check-in" : "couple";
  const page = name === "sign-in" ? pages[name] : offered[name];
  document.title = `${page.title} · Tandem`;
  nav.hidden = !session.token;
  drawNav(offered, name);
  let content: Node[];
  try {
    content = await page.render();
  } catch (error) {
    content = [problem(error)];
  }
  // a later page asked for meanwhile wins
  if (generation === shown) main.replaceChildren(h("h1", {}, page.title), ...content);
}

/**
 * A top row of pages and groups; a group's pages show in a row under it, the current page's group open. A group is a
 * button that opens its row, so every page stays a link a keyboard or screen reader reaches in order.
 */
function drawNav(offered: Record<string, Page>, current: string) {
  const top = h("div", { class: "top" });
  const rows = new Map<string, HTMLElement>();
  const toggles: HTMLElement[] = [];
  for (const [key, p] of Object.entries(offered)) {
    if (key === "sign-in") continue;
    const link = h("a", { href: `#/${key}` }, p.title);
    if (key === current) link.setAttribute("aria-current", "page");
    link.addEventListener("click", (event) => { event.preventDefault(); go(key); });
    if (!p.group) {
      top.append(link);
      continue;
    }
    let row = rows.get(p.group);
    if (!row) {
      const open = offered[current]?.group === p.group;
      row = h("div", { class: "group", id: `nav-${rows.size}`, ...(open ? {} : { hidden: "" }) });
      rows.set(p.group, row);
      const toggle = h("button", { type: "button", "aria-expanded": String(open), "aria-controls": row.id, class: open ? "current" : "" }, p.group);
      const own = row;
      toggle.addEventListener("click", () => {
        const opening = own.hidden;
        rows.forEach((r) => { r.hidden = true; });
        toggles.forEach((t) => t.setAttribute("aria-expanded", "false"));
        own.hidden = !opening;
        toggle.setAttribute("aria-expanded", String(opening));
      });
      toggles.push(toggle);
      top.append(toggle);
    }
    row.append(link);
  }
  nav.replaceChildren(top, ...rows.values());
}

// ---- sign in

async function signIn(): Promise<Node[]> {
  const devstack = (await fetch("/dev/sign-in", { method: "GET" }).catch(() => undefined))?.status === 204;
  const byToken = form([labelled("Your sign-in token", h("input", { type: "text", name: "token", autocomplete: "off", required: "" }))],
    "Sign in with token", async (data) => begin(String(data.get("token")).trim()));
  if (!devstack) {
    return [h("p", {}, "Sign in with the token your identity provider gave you."), byToken];
  }
  const name = () => labelled("Pick a name", h("input", { type: "text", name: "name", autocomplete: "off", required: "",
    pattern: "[a-z0-9\\-]{1,40}", title: "lower-case letters, digits and dashes" }));
  const devSignIn = async (data: FormData) => {
    const answer = await fetch("/dev/sign-in", { method: "POST", body: new URLSearchParams(data as unknown as Record<string, string>) });
    if (!answer.ok) throw new Error(await answer.text());
    begin((await answer.json()).token);
  };
  return [h("p", { class: "note" }, "Local development: the development issuer gives you a token for any name."),
    form([name()], "Sign in", devSignIn),
    h("h2", {}, "Counselors"),
    form([name(), labelled("Organisation", h("input", { type: "text", name: "organisation", autocomplete: "off", required: "", maxlength: "80" }))],
      "Sign in as a counselor", devSignIn)];
}

function begin(token: string) {
  session.set("token", token);
  if (counselor()) {
    watchCare();
    go("clients");
    return;
  }
  watchFeed();
  go(session.couple ? "check-in" : "couple");
}

// ---- couple

async function couplePage(): Promise<Node[]> {
  const nodes: Node[] = [];
  if (session.couple) {
    const couple = await couples.getCouple({ coupleId: session.couple });
    nodes.push(h("p", {}, couple.partnerPersonIds.length > 1 ? `You and ${couple.partnerPersonIds.filter((p) => p !== session.person).join(", ")} share this journal.`
      : "Your partner has not joined yet."));
  }
  const created = h("div", { role: "status" });
  const createKey = crypto.randomUUID();
  nodes.push(h("h2", {}, "Start a couple"), form([], "Create a couple", async () => {
    const answer = await couples.createCouple({ idempotencyKey: createKey });
    session.set("couple", answer.coupleId);
    await learnWhoIAm(answer.coupleId, "founder");
    created.replaceChildren(h("p", {}, "Give your partner this invite code:"),
      h("p", { class: "code", id: "invite-code" }, answer.inviteCode),
      h("p", {}, `It works until ${when(answer.inviteExpiresAt)}.`));
  }), created);
  const joinKey = crypto.randomUUID();
  nodes.push(h("h2", {}, "Join your partner"), form([labelled("Invite code", h("input", { type: "text", name: "code", autocomplete: "off", required: "" }))],
    "Join", async (data) => {
      const answer = await couples.joinCouple({ idempotencyKey: joinKey, inviteCode: String(data.get("code")).trim().toUpperCase() });
      session.set("couple", answer.coupleId);
      await learnWhoIAm(answer.coupleId, "joined");
      go("check-in");
    }));
  return nodes;
}

/**
 * Inside Tandem a person is an opaque id the gateway derives from the token, which the app cannot compute: it learns
 * its own from the couple's partners, founder first, right after founding or joining.
 */
async function learnWhoIAm(coupleId: string, as: "founder" | "joined") {
  const ids = (await couples.getCouple({ coupleId })).partnerPersonIds;
  const me = as === "founder" ? ids[0] : ids[ids.length - 1];
  if (me) session.set("person", me);
}

/** The couple's pages of talking with each other, for the one signed in. */
function together(): Together {
  return { plans, coupleId: needCouple(), me: session.person ?? "", refresh: () => void show() };
}

function needCouple(): string {
  if (!session.couple) {
    go("couple");
    throw new Error("start or join a couple first");
  }
  return session.couple;
}

// ---- check-in

const TRIGGERS = options(Trigger, "TRIGGER_UNSPECIFIED");
const SUBSTANCES = options(Substance, "SUBSTANCE_UNSPECIFIED");

async function checkIn(): Promise<Node[]> {
  const coupleId = needCouple();
  // a check-in never waits on plans-service: without its boundaries (a couple it has not learnt yet, or a service that
  // does not answer) the form has none to mark
  const active = await plans.listBoundaries({ coupleId })
    .then(({ boundaries }) => boundaries.filter((b) => b.state === BoundaryState.BOUNDARY_ACTIVE), () => []);
  const used = h("input", { type: "checkbox", name: "used", id: "used" }) as HTMLInputElement;
  const useDetails = h("fieldset", { hidden: "" }, h("legend", {}, "What you used"),
    ...SUBSTANCES.map(([name, value]) => h("label", { class: "inline" }, h("input", { type: "checkbox", name: "substance", value: String(value) }), textOf(name))),
    h("label", { class: "inline" }, h("input", { type: "checkbox", name: "alone" }), "I was alone"),
    h("label", { class: "inline" }, h("input", { type: "checkbox", name: "naloxone" }), "Naloxone at hand"));
  used.addEventListener("change", () => { useDetails.hidden = !used.checked; });
  const share = h("input", { type: "checkbox", name: "share", id: "share" }) as HTMLInputElement;
  const privacy = h("p", { class: "note", id: "privacy" }, "Private: only you see this check-in.");
  share.addEventListener("change", () => {
    privacy.textContent = share.checked ? "Shared: your partner sees this check-in and is told about it." : "Private: only you see this check-in.";
  });
  let key = crypto.randomUUID();
  return [privacy, form([
    h("fieldset", {}, h("legend", {}, "Mood"), ...[1, 2, 3, 4, 5].map((m) =>
      h("label", { class: "inline" }, h("input", { type: "radio", name: "mood", value: String(m), ...(m === 3 ? { checked: "" } : {}) }),
        ["very low", "low", "okay", "good", "very good"][m - 1]))),
    labelled("Craving (0 none – 10 overwhelming)", h("input", { type: "number", name: "craving", min: "0", max: "10", value: "0" })),
    h("label", { class: "inline" }, used, "I used"), useDetails,
    h("fieldset", {}, h("legend", {}, "Triggers"), ...TRIGGERS.map(([name, value]) =>
      h("label", { class: "inline" }, h("input", { type: "checkbox", name: "trigger", value: String(value) }), textOf(name)))),
    ...(active.length ? [h("fieldset", {}, h("legend", {}, "Boundaries since last time"), ...active.map((b) =>
      h("div", {}, h("span", {}, b.text), " ",
        h("label", { class: "inline" }, h("input", { type: "radio", name: `boundary-${b.boundaryId}`, value: "kept" }), "kept"),
        h("label", { class: "inline" }, h("input", { type: "radio", name: `boundary-${b.boundaryId}`, value: "crossed" }), "crossed"))))] : []),
    labelled("Note (optional)", h("textarea", { name: "note", rows: "3", maxlength: "4000" })),
    h("label", { class: "inline" }, share, "Share with my partner"),
  ], "Save check-in", async (data) => {
    const didUse = data.get("used") === "on";
    await journal.recordCheckIn({
      idempotencyKey: key, coupleId,
      mood: Number(data.get("mood")), cravingIntensity: Number(data.get("craving")), used: didUse,
      use: didUse ? { substances: data.getAll("substance").map(Number), usedAlone: data.get("alone") === "on", naloxoneAtHand: data.get("naloxone") === "on" } : undefined,
      triggers: data.getAll("trigger").map(Number),
      boundariesKept: active.filter((b) => data.get(`boundary-${b.boundaryId}`) === "kept").map((b) => b.boundaryId),
      boundariesCrossed: active.filter((b) => data.get(`boundary-${b.boundaryId}`) === "crossed").map((b) => b.boundaryId),
      note: String(data.get("note") ?? ""),
      visibility: data.get("share") === "on" ? Visibility.SHARED_WITH_PARTNER : Visibility.PRIVATE,
    });
    key = crypto.randomUUID();
    main.querySelector("form")!.reset();
    privacy.textContent = "Saved. Private: only you see this check-in.";
  })];
}

// ---- journal: timeline, stats, milestones

async function journalPage(): Promise<Node[]> {
  const coupleId = needCouple();
  const [stats, timeline] = await Promise.all([journal.getStats({}), journal.listTimeline({ coupleId, pageSize: 30 })]);
  return [
    h("h2", {}, "Progress"),
    h("p", {}, `Current streak: ${stats.currentStreakDays.toFixed(1)} days · longest: ${stats.longestStreakDays.toFixed(1)} days`),
    h("p", {}, `Mood this week: ${stats.mood?.average7Days.toFixed(1) ?? "–"} (${stats.mood?.count7Days ?? 0} check-ins) · craving: ${stats.craving?.average7Days.toFixed(1) ?? "–"}`),
    h("h2", {}, "Milestones"),
    stats.milestones.length ? h("ul", { class: "items" }, ...stats.milestones.map((m) => h("li", {}, `${m.days} days, reached ${when(m.reachedAt)}`)))
      : h("p", {}, "None yet. Every day counts."),
    h("h2", {}, "Timeline"),
    timeline.entries.length ? h("ul", { class: "items" }, ...timeline.entries.map((e) => h("li", {},
      h("strong", {}, e.authorPersonId === session.person ? "You" : e.authorPersonId), ` · ${when(e.occurredAt)} · mood ${e.mood}, craving ${e.cravingIntensity}`,
      e.used ? " · used" : "", e.visibility === Visibility.PRIVATE ? " · private" : " · shared",
      e.note ? h("p", {}, e.note) : "")))
      : h("p", {}, "No entries yet."),
  ];
}

// ---- support now

function supportPage(): Node[] {
  const coupleId = needCouple();
  const key = crypto.randomUUID();
  return [h("p", {}, "Your partner is told right away that you need support."),
    form([], "I need support now", async () => {
      await journal.requestSupport({ idempotencyKey: key, coupleId });
      main.querySelector("[role=status]")!.replaceChildren(h("p", { class: "note" }, "Your partner has been told."));
    })];
}

// ---- boundaries

const CATEGORIES = options(BoundaryCategory, "BOUNDARY_CATEGORY_UNSPECIFIED");
const APPLIES_TO = options(BoundaryAppliesTo, "UNSPECIFIED");

async function boundariesPage(): Promise<Node[]> {
  const coupleId = needCouple();
  const { boundaries } = await plans.listBoundaries({ coupleId });
  const proposeKey = crypto.randomUUID();
  return [
    boundaries.length ? h("ul", { class: "items" }, ...boundaries.map(boundaryItem)) : h("p", {}, "No boundaries yet."),
    h("h2", {}, "Propose a boundary"),
    form([
      labelled("Boundary", h("textarea", { name: "text", rows: "2", required: "" })),
      labelled("About", h("select", { name: "category" }, ...CATEGORIES.map(([name, value]) => h("option", { value: String(value) }, textOf(name.replace(/^BOUNDARY_/, "")))))),
      labelled("Applies to", h("select", { name: "applies" }, ...APPLIES_TO.map(([name, value]) => h("option", { value: String(value) }, textOf(name))))),
    ], "Propose", async (data) => {
      await plans.proposeBoundary({ idempotencyKey: proposeKey, coupleId, text: String(data.get("text")),
        category: Number(data.get("category")), appliesTo: Number(data.get("applies")) });
      void show();
    }),
  ];
}

function boundaryItem(b: Boundary): HTMLElement {
  const item = h("li", {}, h("p", {}, b.text), h("p", {}, `${textOf(BoundaryState[b.state].replace(/^BOUNDARY_/, ""))} · version ${b.version} · kept ${b.keptCount}, crossed ${b.crossedCount}`));
  const answer = (accept: boolean) => async () => {
    const request = { idempotencyKey: crypto.randomUUID(), boundaryId: b.boundaryId, version: b.version };
    await (accept ? plans.acceptBoundary(request) : plans.declineBoundary(request));
    void show();
  };
  if (b.state === BoundaryState.BOUNDARY_PROPOSED && b.proposedByPersonId !== session.person) {
    item.append(h("div", { class: "actions" }, button("Accept", answer(true)), button("Decline", answer(false), "secondary")));
  }
  if (b.state !== BoundaryState.BOUNDARY_RETIRED) {
    const reviseKey = crypto.randomUUID();
    item.append(form([labelled("Revised wording", h("input", { type: "text", name: "text", value: b.text, required: "" }))], "Revise", async (data) => {
      await plans.reviseBoundary({ idempotencyKey: reviseKey, boundaryId: b.boundaryId, expectedVersion: b.version,
        text: String(data.get("text")), category: b.category, appliesTo: BoundaryAppliesTo.BOTH_OF_US });
      void show();
    }));
  }
  return item;
}

// ---- relapse-response tasks

async function tasksPage(): Promise<Node[]> {
  const coupleId = needCouple();
  const { tasks } = await plans.listRelapseResponseTasks({ coupleId, includeDone: true });
  if (!tasks.length) return [h("p", {}, "No tasks: they appear after a lapse is shared, to help you both respond with care.")];
  return [h("ul", { class: "items" }, ...tasks.map((task) => h("li", {}, h("p", {}, task.text),
    task.done ? h("p", {}, `Done ${when(task.doneAt)}`) : button("Mark done", async () => {
      await plans.completeRelapseResponseTask({ idempotencyKey: `${task.lapseId}/${task.taskId}`, lapseId: task.lapseId, taskId: task.taskId });
      void show();
    }))))];
}

// ---- the live feed

let following: AbortController | undefined;

/** Follows one stream for the tab: opened again from its last cursor when it ends, waiting longer while it fails. */
function follow<T extends { cursor: string }>(open: (afterCursor: string, signal: AbortSignal) => AsyncIterable<T>, arrived: (item: T) => void) {
  if (following) return;
  following = new AbortController();
  const signal = following.signal;
  let cursor = "";
  void (async () => {
    for (let wait = 1000; !signal.aborted; wait = Math.min(wait * 2, 30000)) {
      try {
        for await (const item of open(cursor, signal)) {
          cursor = item.cursor;
          wait = 1000;
          arrived(item);
        }
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
}

function watchFeed() {
  if (!session.token || counselor()) return;
  const items = document.getElementById("feed-items")!;
  document.getElementById("feed")!.hidden = false;
  follow((afterCursor, signal) => notifications.watchNotifications({ afterCursor }, { signal }),
    (n) => items.prepend(h("li", { class: n.urgent ? "urgent" : "" }, feedTitle(n.kind, n.title), " ", n.body)));
}

// prompts about something to answer or look at lead to its page
const FEED_PAGES: Partial<Record<NotificationKind, string>> = {
  [NotificationKind.PARTNER_PROPOSED_SHARED_GOAL]: "together",
  [NotificationKind.WEEK_TOGETHER]: "together",
};

function feedTitle(kind: NotificationKind, title: string): HTMLElement {
  const page = FEED_PAGES[kind];
  if (!page) return h("strong", {}, title);
  const link = h("a", { href: `#/${page}` }, h("strong", {}, title));
  link.addEventListener("click", (event) => { event.preventDefault(); go(page); });
  return link;
}

// ---- consents to counselors (a partner's)

const SCOPES = options(DisclosureScope, "DISCLOSURE_SCOPE_UNSPECIFIED");
const PURPOSES = options(ConsentPurpose, "CONSENT_PURPOSE_UNSPECIFIED");

async function consentPage(): Promise<Node[]> {
  const [{ consents: versions }, { disclosures }] = await Promise.all([consents.listConsents({}), consents.listDisclosures({ pageSize: 30 })]);
  const prepared = h("div", { role: "status" });
  const prepareKey = crypto.randomUUID();
  const yearAhead = new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);
  return [
    h("p", { class: "note" }, "A counselor sees only what you choose here, only from you (never your partner's), until it ends or you revoke it. Your partner is not told."),
    h("h2", {}, "Share with a counselor"),
    form([
      labelled("Your counselor's code", h("input", { type: "text", name: "code", autocomplete: "off", required: "" })),
      labelled("Why", h("select", { name: "purpose" }, ...PURPOSES.map(([name, value]) => h("option", { value: String(value) }, textOf(name))))),
      h("fieldset", {}, h("legend", {}, "What to share"), ...SCOPES.map(([name, value]) =>
        h("label", { class: "inline" }, h("input", { type: "checkbox", name: "scope", value: String(value) }), textOf(name)))),
      labelled("Until", h("input", { type: "date", name: "until", value: yearAhead, required: "" })),
      h("label", { class: "inline" }, h("input", { type: "checkbox", name: "treatment", checked: "" }), "or until treatment ends, whichever comes first"),
    ], "Read the consent", async (data) => {
      const consent = await consents.prepareConsent({ idempotencyKey: prepareKey, invitationCode: String(data.get("code")).trim(),
        purpose: Number(data.get("purpose")), scopes: data.getAll("scope").map(Number),
        expiresAt: timestampFromDate(new Date(`${data.get("until")}T23:59:59`)), untilTreatmentEnds: data.get("treatment") === "on" });
      prepared.replaceChildren(h("h3", {}, "The consent you would sign"), h("div", { class: "consent-text", id: "consent-text", tabindex: "0" }, consent.text),
        form([], "Sign this consent", async () => {
          await consents.signConsent({ consentId: consent.consentId, version: consent.version, textSha256: await sha256Hex(consent.text) });
          void show();
        }));
    }), prepared,
    h("h2", {}, "Your consents"),
    versions.length ? h("ul", { class: "items", id: "consents" }, ...versions.map(consentItem)) : h("p", {}, "None."),
    h("h2", {}, "What was disclosed"),
    disclosures.length ? h("ul", { class: "items" }, ...disclosures.map((d) => h("li", {},
      `${when(d.disclosedAt)} · ${textOf(CareItemKind[d.kind].replace(/^CARE_/, ""))} to ${d.counselorPersonId} (${d.organisation}), consent version ${d.consentVersion}`)))
      : h("p", {}, "Nothing yet."),
  ];
}

function consentItem(c: Consent): HTMLElement {
  const ends = [c.expiresAt ? `until ${when(c.expiresAt)}` : "", c.untilTreatmentEnds ? "until treatment ends" : ""].filter(Boolean).join(" or ");
  const item = h("li", {}, h("p", {}, h("strong", {}, `${c.counselorPersonId} (${c.organisation})`), ` · version ${c.version} · ${textOf(ConsentStatus[c.status])}`),
    h("p", {}, `${c.scopes.map((s) => textOf(DisclosureScope[s])).join(", ")} · ${ends}`));
  if (c.status === ConsentStatus.IN_FORCE || c.status === ConsentStatus.PREPARED) {
    item.append(button("Revoke", async () => { await consents.revokeConsent({ consentId: c.consentId }); void show(); }, "secondary"));
  }
  return item;
}

// ---- a counselor's pages

async function clientsPage(): Promise<Node[]> {
  const { clients } = await care.listClients({});
  const invited = h("div", { role: "status" });
  const inviteKey = crypto.randomUUID();
  return [
    clients.length ? h("ul", { class: "items" }, ...clients.map((c) => h("li", {},
      h("p", {}, h("strong", {}, c.personId), ` · consent version ${c.consentVersion} signed ${when(c.signedAt)}`),
      h("p", {}, c.scopes.map((s) => textOf(DisclosureScope[s])).join(", ")),
      h("div", { class: "actions" },
        button("Summary", async () => { session.set("client", c.personId); go("summary"); }),
        button("End treatment", async () => { await care.endTreatment({ clientPersonId: c.personId }); void show(); }, "secondary")))))
      : h("p", {}, "No client has consented yet."),
    h("h2", {}, "Invite a client"),
    form([], "Invite a client", async () => {
      const invitation = await care.createClientInvitation({ idempotencyKey: inviteKey });
      invited.replaceChildren(h("p", {}, "Hand your client this code; they enter it under Counselors:"),
        h("p", { class: "code", id: "client-code" }, invitation.code), h("p", {}, `It works once, until ${when(invitation.expiresAt)}.`));
    }), invited,
  ];
}

async function summaryPage(): Promise<Node[]> {
  const { clients } = await care.listClients({});
  const chosen = (clients.find((c) => c.personId === session.client) ?? clients[0])?.personId;
  if (!chosen) return [h("p", {}, "No client has consented yet.")];
  const picker = h("select", { name: "client" }, ...clients.map((c) => h("option", { value: c.personId, ...(c.personId === chosen ? { selected: "" } : {}) }, c.personId)));
  picker.addEventListener("change", () => { session.set("client", (picker as HTMLSelectElement).value); void show(); });
  const s = await care.getClientSummary({ clientPersonId: chosen });
  const trend = (name: string, t: typeof s.mood) => t ? h("li", {}, `${name}: ${t.average7Days.toFixed(1)} this week (${t.count7Days}), ${t.average30Days.toFixed(1)} over 30 days (${t.count30Days})`) : "";
  return [labelled("Client", picker), h("ul", { class: "items" },
    trend("Mood", s.mood), trend("Craving", s.craving),
    h("li", {}, `Days without use: ${s.currentDaysWithoutUse.toFixed(1)} · milestones: ${s.milestones.map((m) => m.days).join(", ") || "none"}`),
    h("li", {}, `Lapses in 30 days: ${s.lapses30Days} · weekly reviews: ${s.weeklyReviews.length}`)),
    h("p", { class: "notice" }, s.notice)];
}

// the counselor's consented feed: the tab's one stream fills this list, which the feed page shows
const careItems = h("ul", { class: "items", id: "care-items", "aria-live": "polite" });

function careFeedPage(): Node[] {
  return [h("p", {}, "What your clients consented to share, newest first, as it happens."), careItems];
}

function careItem(e: CareEvent): HTMLElement {
  const what = e.item.case === "entry" ? `mood ${e.item.value.mood}, craving ${e.item.value.cravingIntensity}${e.item.value.used ? ", used" : ""}`
    : e.item.case === "lapse" ? `lapse${e.item.value.usedAlone ? ", alone" : ""}${e.item.value.naloxoneAtHand ? ", naloxone at hand" : ""}`
    : e.item.case === "milestone" ? `${e.item.value.days} days` : "";
  const note = e.item.case === "entry" && e.item.value.note ? h("p", {}, e.item.value.note) : "";
  return h("li", {}, h("p", {}, h("strong", {}, e.clientPersonId), ` · ${textOf(CareItemKind[e.kind].replace(/^CARE_/, ""))} · ${when(e.occurredAt)}`),
    what ? h("p", {}, what) : "", note, h("p", { class: "notice" }, e.notice));
}

function watchCare() {
  if (!session.token || !counselor()) return;
  follow((afterCursor, signal) => care.watchCareEvents({ afterCursor }, { signal }), (e) => careItems.prepend(careItem(e)));
}

installQuickExit(document.getElementById("quick-exit")!);
window.addEventListener("hashchange", () => void show());
watchFeed();
watchCare();
void show();
