import * as signalR from "@microsoft/signalr";
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import "./style.css";
import {
  api, ApiError, errorText, postWithKey, type ArrivalEvent, type AuditEntry, type Change, type CheckoutEvent, type Commune, type CommuneDashboard, type Me,
  type Notification, type NotificationChangedEvent, type Page, type RegisterRow, type WatchlistEntry, type WatchlistHit, type WatchlistHitAcknowledgedEvent, type UpstreamOverdue, type UpstreamOverdueEvent,
  type WatchlistHitEvent, type ProvinceDashboard,
} from "./api";
import { Register, rowOfArrival } from "./register";
import { countryText, loadCountries, portText } from "./countries";
import { usersPanel } from "./users";
import { FeedTracker } from "./feed";
import { pendingPanel, showApply, showHousehold, showStaff, showStatus, showVerify } from "./pages";
import { documentTypes, reasons, receiptView, stayForm, type Receipt } from "./stayform";
import { h } from "./ui";
import { currentLang, flagText, fmtDate, fmtDateTime, setLang, statusText, t, upstreamText, type TextKey } from "./i18n";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const app = document.getElementById("app")!;
const state = {
  me: null as Me | null,
  communes: [] as Commune[],
  commune: "",
  day: null as string | null, // the duty day shown; null: the one under way (the server says which)
  dashboard: null as CommuneDashboard | null,
  register: null as Register | null,
  province: null as ProvinceDashboard | null,
  tracker: new FeedTracker(),
  connection: null as signalR.HubConnection | null,
  chart: null as Chart | null,
  hits: new Map<string, OpenHit>(),
  hitNotifications: new Set<string>(),
};
const isPolice = (me: Me | null) => !!me && ["admin", "province-supervisor", "commune-officer"].includes(me.role ?? "");

/** Routes: #/khai-bao (household form) and #/tra-cuu (receipt status) are public; otherwise sign in, then the
 * police dashboard or the establishment's pages by role. */
async function boot(): Promise<void> {
  document.documentElement.lang = currentLang();
  await loadCountries();
  const [route, query] = location.hash.replace(/^#\/?/, "").split("?");
  if (route === "khai-bao") return showHousehold(app, publicHeader);
  if (route === "tra-cuu") return showStatus(app, publicHeader, new URLSearchParams(query ?? ""));
  if (route === "dang-ky-co-so") return showApply(app, publicHeader);
  if (route === "xac-minh") return showVerify(app, publicHeader, new URLSearchParams(query ?? ""));
  try {
    state.me = await api<Me>("/api/v1/me");
  } catch {
    state.me = null;
  }
  if (state.me?.role === "province-supervisor" && route === "xa" && query) { state.commune = new URLSearchParams(query).get("ma") ?? state.commune; await showDashboard(); }
  else if (state.me?.role === "province-supervisor" && state.me.provinceCode) await showProvince(state.me.provinceCode);
  else if (isPolice(state.me)) await showDashboard();
  else if (state.me?.role === "establishment-staff" && state.me.establishmentId) await showStaff(app, state.me, staffHeader);
  else showLogin(state.me ? t("notPolice") : undefined);
}
window.addEventListener("hashchange", () => void boot());

function publicHeader(title: string): HTMLElement {
  return h("header", { class: "top" }, h("h1", {}, title), h("div", { class: "controls" }, h("a", { href: "#/" }, t("signIn")), langToggle()));
}

function staffHeader(title: string): HTMLElement {
  return h("header", { class: "top" }, h("h1", {}, title), h("div", { class: "controls" }, langToggle(),
    h("button", { type: "button", class: "link", onclick: async () => { await api("/api/v1/auth/logout", { method: "POST" }); state.me = null; showLogin(); } }, t("signOut"))));
}

/** The police screens' header end: the live feed's state, the language, signing out. */
function liveControls(): HTMLElement[] {
  return [h("span", { id: "conn", class: "conn", role: "status", "aria-live": "polite" }, "…"), langToggle(),
    h("button", { type: "button", class: "link", onclick: async () => { await api("/api/v1/auth/logout", { method: "POST" }); state.me = null; showLogin(); } }, t("signOut"))];
}

function langToggle(): HTMLElement {
  return h("button", {
    type: "button", class: "link", "aria-label": currentLang() === "vi" ? "Switch to English" : "Chuyển sang tiếng Việt",
    onclick: () => { setLang(currentLang() === "vi" ? "en" : "vi"); void boot(); },
  }, currentLang() === "vi" ? "English" : "Tiếng Việt");
}

function showLogin(message?: string): void {
  state.connection?.stop();
  const error = h("p", { class: "error", role: "alert", id: "login-error" }, message ?? "");
  const email = h("input", { id: "email", name: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", {
    class: "card login", "aria-labelledby": "login-title",
    onsubmit: async (e: Event) => {
      e.preventDefault();
      error.textContent = "";
      try {
        await api("/api/v1/auth/login", { method: "POST", json: { email: email.value, password: password.value } });
        await boot();
      } catch (err) {
        error.textContent = err instanceof ApiError && err.status === 401 ? t("signInFailed") : (err as Error).message;
      }
    },
  },
    h("h1", { id: "login-title" }, t("appName")),
    h("label", { for: "email" }, t("email")), email,
    h("label", { for: "password" }, t("password")), password,
    error,
    h("button", { type: "submit" }, t("signIn")),
    langToggle(),
    h("p", { class: "muted" }, t("publicLinks"), " ", h("a", { href: "#/khai-bao" }, t("householdTitle")), " · ", h("a", { href: "#/tra-cuu" }, t("checkStatus")), " · ",
      h("a", { href: "#/dang-ky-co-so" }, t("applyTitle"))));
  app.replaceChildren(form);
  document.title = `${t("signIn")} — CuTru.LuuTru`;
  email.focus();
}

async function visibleCommunes(me: Me): Promise<Commune[]> {
  if (me.role === "commune-officer") return Promise.all(me.communeCodes.map((c) => api<Commune>(`/api/v1/communes/${c}`)));
  if (me.role === "province-supervisor" && me.provinceCode) return api<Commune[]>(`/api/v1/provinces/${me.provinceCode}/communes`);
  return api<Commune[]>("/api/v1/communes?limit=100&q=" + encodeURIComponent(state.commune || "ha noi"));
}

async function showDashboard(): Promise<void> {
  const me = state.me!;
  state.province = null;
  state.communes = await visibleCommunes(me);
  const saved = localStorage.getItem("luutru.commune");
  if (!state.commune) state.commune = state.communes.find((c) => c.code === saved)?.code ?? state.communes[0]?.code ?? "";

  const picker = h("select", {
    id: "commune", onchange: async () => { state.commune = picker.value; localStorage.setItem("luutru.commune", picker.value); await loadCommune(); },
  }, ...state.communes.map((c) => h("option", { value: c.code, selected: c.code === state.commune }, `${c.name} (${c.code})`)));
  const adminFind = me.role === "admin" ? h("input", {
    id: "commune-find", type: "search", placeholder: "hoan kiem, 00070…", "aria-label": t("commune"),
    onchange: async (e: Event) => {
      state.communes = await api<Commune[]>("/api/v1/communes?limit=100&q=" + encodeURIComponent((e.target as HTMLInputElement).value));
      picker.replaceChildren(...state.communes.map((c) => h("option", { value: c.code }, `${c.name} (${c.code})`)));
      if (state.communes[0]) { state.commune = state.communes[0].code; await loadCommune(); }
    },
  }) : null;
  const dayInput = h("input", { id: "day", type: "date", value: state.day ?? "", onchange: async () => { state.day = dayInput.value || null; await loadCommune(); } });

  const header = h("header", { class: "top" },
    h("h1", {}, me.role === "province-supervisor" ? t("appNameProvince") : me.role === "admin" ? t("appNameAdmin") : t("appName")),
    h("div", { class: "controls" },
      me.role === "province-supervisor" ? h("a", { href: "#/", id: "to-province" }, "← " + t("wholeProvince")) : null,
      h("label", { for: "commune" }, t("commune")), picker, adminFind,
      h("label", { for: "day" }, t("day")), dayInput,
      ...liveControls()));

  const main = h("main", {},
    h("section", { id: "alerts", class: "alerts", "aria-label": t("alerts") }),
    h("section", { id: "upstream-alerts", class: "alerts", "aria-label": t("upstreamOverdueTitle") }),
    h("section", { id: "counters", class: "counters", "aria-label": t("arrivals") }),
    h("div", { class: "grid" },
      h("section", { class: "card wide" }, h("h2", {}, t("liveArrivals")), h("div", { id: "arrivals" })),
      h("section", { class: "card" }, h("h2", {}, t("perHour")), h("canvas", { id: "chart", height: 180, role: "img", "aria-label": t("perHour") })),
      h("section", { class: "card" }, h("h2", {}, t("establishments")), h("ul", { id: "establishments", class: "plain" }))),
    reportsPanel(),
    h("section", { class: "card", id: "entry-panel", "aria-labelledby": "entry-title" }, h("h2", { id: "entry-title" }, t("officerEntry")),
      h("button", { type: "button", id: "open-entry", onclick: () => void openEntry() }, t("officerEntry"))),
    h("section", { class: "card", id: "pending-panel", "aria-label": t("pendingTitle") }),
    searchPanel(),
    me.role === "commune-officer" ? null : watchlistPanel(), // a watchlist is a supervisor's or an admin's power
    me.role === "admin" ? usersPanel({ role: "admin", provinceCode: null }) : null,
    me.role === "admin" ? auditPanel() : null,
    h("dialog", { id: "detail", "aria-labelledby": "detail-title" }),
    h("dialog", { id: "ack", "aria-labelledby": "ack-title" }));
  app.replaceChildren(header, main);
  await loadCommune();
  await loadOpenHits();
  await connect();
  if (me.role !== "commune-officer") await loadWatchlist();
  if (me.role === "admin") await loadAudit();
}

/** A province supervisor's day: every commune of the province at a glance, drill-down into one, province-wide search,
 *  and the establishments that notified nothing, with whom to call. */
async function showProvince(code: string): Promise<void> {
  state.register = null; state.dashboard = null;
  const dayInput = h("input", { id: "day", type: "date", value: state.day ?? "", onchange: async () => { state.day = dayInput.value || null; await loadProvince(code); } });
  const header = h("header", { class: "top" },
    h("h1", {}, t("appNameProvince")),
    h("div", { class: "controls" },
      h("label", { for: "day" }, t("day")), dayInput,
      ...liveControls()));
  const main = h("main", {},
    h("section", { id: "alerts", class: "alerts", "aria-label": t("alerts") }),
    h("p", { class: "muted", id: "province-window" }),
    h("section", { id: "counters", class: "counters", "aria-label": t("arrivals") }),
    h("section", { class: "card" }, h("h2", { id: "rollup-title" }), h("div", { id: "rollup", class: "table-scroll" })),
    h("section", { class: "card" }, h("h2", {}, t("silentEstablishments")), h("div", { id: "silent", class: "table-scroll" })),
    searchPanel(() => `/api/v1/provinces/${code}`),
    watchlistPanel(),
    usersPanel({ role: "province-supervisor", provinceCode: code }),
    h("dialog", { id: "detail", "aria-labelledby": "detail-title" }),
    h("dialog", { id: "ack", "aria-labelledby": "ack-title" }));
  app.replaceChildren(header, main);
  document.title = `${t("wholeProvince")} — CuTru.LuuTru`;
  await loadProvince(code);
  await loadOpenHits();
  await connect();
  await loadWatchlist();
}

async function loadProvince(code: string): Promise<void> {
  let d: ProvinceDashboard;
  try {
    d = await api<ProvinceDashboard>(`/api/v1/provinces/${code}/dashboard${state.day ? "?day=" + state.day : ""}`);
  } catch (err) {
    document.getElementById("rollup")!.replaceChildren(h("div", { class: "error", role: "alert" }, t("loadFailed"), " ",
      h("button", { type: "button", onclick: () => void loadProvince(code) }, t("retry")), h("small", { class: "muted" }, " ", errorText(err))));
    return;
  }
  state.province = d;
  (document.getElementById("day") as HTMLInputElement).value = d.day;
  document.getElementById("province-window")!.textContent = `${d.provinceName} · ${t("registerWindow")} ${fmtDateTime(d.windowStart)} ${t("until")} ${fmtDateTime(d.windowEnd)}`;
  document.getElementById("rollup-title")!.textContent = `${t("communesOfProvince")} (${d.communes.length})`;
  renderProvince();
}

function renderProvince(): void {
  const d = state.province!;
  const c = d.totals;
  const items: [TextKey, number][] = [["arrivals", c.arrivals], ["guests", c.guests], ["foreigners", c.foreigners], ["late", c.late],
    ["flagged", c.flagged], ["cancelled", c.cancelled], ["silentCount", d.silent.length], ["openHits", state.hits.size]];
  document.getElementById("counters")!.replaceChildren(...items.map(([k, v]) =>
    h("div", { class: "counter", "data-counter": k }, h("span", { class: "value" }, String(v)), h("span", { class: "label" }, t(k)))));
  const cols: TextKey[] = ["commune", "arrivals", "guests", "foreigners", "late", "flagged", "cancelled", "silentCount", "openHits"];
  document.getElementById("rollup")!.replaceChildren(d.communes.length === 0 ? h("p", { class: "muted" }, t("noArrivals")) : h("table", { class: "rollup" },
    h("thead", {}, h("tr", {}, ...cols.map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", { id: "rollup-rows" }, ...d.communes.map((r) => {
      const open = () => { location.hash = `#/xa?ma=${r.communeCode}`; };
      return h("tr", { "data-commune": r.communeCode, tabindex: 0, class: r.openHits > 0 ? "hit" : "", onclick: open,
        onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") open(); } },
        h("td", {}, h("a", { href: `#/xa?ma=${r.communeCode}` }, r.communeName)), h("td", {}, String(r.counters.arrivals)), h("td", {}, String(r.counters.guests)),
        h("td", {}, String(r.counters.foreigners)), h("td", {}, String(r.counters.late)), h("td", {}, String(r.counters.flagged)),
        h("td", {}, String(r.counters.cancelled)), h("td", {}, `${r.silentEstablishments}/${r.establishments}`), h("td", {}, String(r.openHits)));
    }))));
  document.getElementById("silent")!.replaceChildren(d.silent.length === 0 ? h("p", { class: "muted" }, t("noSilent")) : h("table", {},
    h("thead", {}, h("tr", {}, ...(["establishment", "commune", "manager", "hostPhone", "lastNotified"] as TextKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", { id: "silent-rows" }, ...d.silent.map((e) => h("tr", { "data-establishment": e.id },
      h("td", {}, h("strong", {}, e.name), h("br"), h("small", { class: "muted" }, e.address)), h("td", {}, e.communeName), h("td", {}, e.managerName),
      h("td", {}, h("a", { href: `tel:${e.phone.replace(/[^\d+]/g, "")}` }, e.phone)),
      h("td", {}, e.lastNotificationAt ? fmtDateTime(e.lastNotificationAt) : t("never")))))));
}

/** The province's day follows the live feed: what moved is read again, at most every 1.5 s (counts, no names). */
let provinceReload: ReturnType<typeof setTimeout> | null = null;
function scheduleProvinceReload(): void {
  const code = state.province?.provinceCode;
  if (!code || provinceReload) return;
  provinceReload = setTimeout(() => { provinceReload = null; void loadProvince(code); }, 1500);
}

async function loadCommune(): Promise<void> {
  if (!state.commune) return;
  let d: CommuneDashboard;
  try {
    d = await api<CommuneDashboard>(`/api/v1/communes/${state.commune}/dashboard${state.day ? "?day=" + state.day : ""}`);
  } catch (err) {
    // A dashboard that failed to load says so, with a retry: never blank cards.
    document.getElementById("counters")!.replaceChildren();
    document.getElementById("arrivals")!.replaceChildren(h("div", { class: "error", role: "alert", id: "load-error" }, t("loadFailed"), " ",
      h("button", { type: "button", onclick: () => void loadCommune() }, t("retry")), h("small", { class: "muted" }, " ", errorText(err))));
    return;
  }
  state.dashboard = d;
  renderOverdue(d.upstreamOverdue ?? []);
  document.title = `${d.communeName} · ${fmtDate(d.day)} — CuTru.LuuTru`;
  state.register = new Register(d.windowStart, d.windowEnd, d.rows, d.counters.currentlyStaying);
  const dayInput = document.getElementById("day") as HTMLInputElement | null;
  if (dayInput) dayInput.value = d.day;
  state.tracker.start(d.communeCode, d.lastSequence);
  renderChart();
  renderEstablishments();
  const box = document.getElementById("arrivals")!;
  box.replaceChildren(
    h("p", { class: "muted", id: "register-window" }, `${t("registerWindow")} ${fmtDateTime(d.windowStart)} ${t("until")} ${fmtDateTime(d.windowEnd)}`),
    h("div", { class: "table-scroll" }, h("table", { class: "arrivals" },
      h("thead", {}, h("tr", {}, ...(["receivedCol", "time", "receipt", "place", "guestList", "status", "flags"] as TextKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", { id: "arrival-rows" }))),
    h("p", { id: "no-arrivals", class: "muted", hidden: true }, t("noArrivals")),
    h("p", { id: "rows-truncated", class: "muted", hidden: !d.rowsTruncated }, t("registerTruncated")));
  renderRegister();
  const select = document.getElementById("search-establishment") as HTMLSelectElement | null;
  select?.replaceChildren(h("option", { value: "" }, t("all")), ...d.establishments.map((e) => h("option", { value: e.id }, e.name)));
  await loadReports(false);
  const pending = document.getElementById("pending-panel");
  if (pending) await pendingPanel(state.commune, pending);
}

/** The table and the counters, from the register's lines as they now are: one source, so they always agree. */
function renderRegister(): void {
  const register = state.register;
  if (!register) return;
  const lines = register.lines();
  document.getElementById("arrival-rows")?.replaceChildren(...lines.map(registerRow));
  document.getElementById("no-arrivals")?.toggleAttribute("hidden", lines.length > 0);
  renderCounters();
  if (state.chart) { state.chart.data.datasets[0].data = chartData(); state.chart.update(); }
}

function renderCounters(): void {
  const c = state.register!.counters();
  const items: [TextKey, number][] = [["arrivals", c.arrivals], ["guests", c.guests], ["staying", c.currentlyStaying], ["foreigners", c.foreigners],
    ["late", c.late], ["flagged", c.flagged], ["cancelled", c.cancelled], ["openHits", state.hits.size]];
  document.getElementById("counters")!.replaceChildren(...items.map(([k, v]) =>
    h("div", { class: "counter", "data-counter": k }, h("span", { class: "value" }, String(v)), h("span", { class: "label" }, t(k)))));
}

/** Per hour of reception, from 08:00 (the duty day's start) to 07:00. */
const chartHours = [...Array(24).keys()].map((i) => (i + 8) % 24);
const chartData = (): number[] => { const perHour = state.register!.perHour(); return chartHours.map((hour) => perHour[hour]); };

function renderChart(): void {
  const canvas = document.getElementById("chart") as HTMLCanvasElement;
  state.chart?.destroy();
  state.chart = new Chart(canvas, {
    type: "bar",
    data: { labels: chartHours.map((x) => `${x}h`), datasets: [{ data: chartData(), backgroundColor: "#1f6feb" }] },
    options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

function renderEstablishments(): void {
  document.getElementById("establishments")!.replaceChildren(...state.dashboard!.establishments.map((e) =>
    h("li", { class: e.notifiedToday ? "" : "silent" },
      h("strong", {}, e.name), h("span", { class: "muted" }, " — " + e.address), h("br"),
      h("small", {}, `${t("lastNotified")}: ${e.lastNotificationAt ? fmtDateTime(e.lastNotificationAt) : t("never")}`),
      e.notifiedToday ? null : h("span", { class: "badge warn" }, t("silentToday")))));
}

function registerRow(r: RegisterRow): HTMLTableRowElement {
  const open = () => void openDetail(r.notificationId);
  return h("tr", { "data-id": r.notificationId, "data-receipt": r.receiptNumber, "data-status": r.status, tabindex: 0,
    class: [r.flags.length ? "flagged" : "", r.status === "cancelled" ? "cancelled" : "", state.hitNotifications.has(r.notificationId) ? "hit" : ""].join(" ").trim(),
    onclick: open, onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") open(); } },
    h("td", {}, fmtDateTime(r.receivedAt)),
    h("td", {}, fmtDateTime(r.arrivalAt)),
    h("td", {}, h("code", {}, r.receiptNumber)),
    h("td", {}, r.establishmentId ? r.placeName : `${t("household")}: ${r.placeName}`),
    h("td", {}, ...r.guests.map((g) => h("div", {}, g.fullName, " ", h("small", { class: "muted" }, [g.documentMasked, countryText(g.nationality)].filter(Boolean).join(" · "))))),
    h("td", {}, statusText(r.status), r.upstream ? h("div", {}, upstreamBadge(r.upstream)) : null),
    h("td", {}, ...r.flags.map((f) => h("span", { class: "badge" + (f === "late" ? " warn" : "") }, flagText(f)))));
}

/** Where a filing on the national system stands, in words (a warning colour when a person must act). */
function upstreamBadge(state: string): HTMLElement {
  return h("span", { class: "badge" + (state === "sent" || state === "pending" ? "" : " warn"), "data-upstream": state }, upstreamText(state));
}

/** A line arrived or changed: in place if it belongs to the day shown; the counters follow from the lines. */
function putLine(row: RegisterRow): void {
  if (!state.register || state.dashboard?.communeCode !== (state.commune)) return;
  if (!state.register.upsert(row)) return;
  const activity = state.dashboard.establishments.find((e) => e.id === row.establishmentId);
  if (activity && !activity.notifiedToday) { activity.notifiedToday = true; activity.lastNotificationAt = row.receivedAt; renderEstablishments(); }
  renderRegister();
}

/** Whether a line's guests count as staying now, as the server counts them: recorded, arrived, not yet due to leave. */
const stayingNow = (r: RegisterRow): number =>
  r.status === "recorded" && Date.parse(r.arrivalAt) <= Date.now() && Date.parse(r.departureAt) > Date.now() ? r.guestsStaying : 0;

function onArrival(a: ArrivalEvent): void {
  if (!state.tracker.accept(a.communeCode, a.sequence)) return;
  if (state.province && !state.register) return scheduleProvinceReload();
  if (a.communeCode !== state.dashboard?.communeCode) return;
  const row = rowOfArrival(a);
  if (state.register && !state.register.has(a.notificationId)) state.register.stayingNow += stayingNow(row);
  putLine(row);
}

function onChanged(c: NotificationChangedEvent): void {
  if (!state.tracker.accept(c.communeCode, c.sequence)) return;
  if (state.province && !state.register) return scheduleProvinceReload();
  if (c.communeCode !== state.dashboard?.communeCode) return;
  // A cancel takes its guests out of who is staying (a checkout says so in its own event, for lines of any day).
  const before = state.register?.lines().find((r) => r.notificationId === c.row.notificationId);
  if (state.register && before && c.action === "cancel") state.register.stayingNow = Math.max(0, state.register.stayingNow - stayingNow(before));
  putLine(c.row);
}

function onCheckout(c: CheckoutEvent): void {
  if (!state.tracker.accept(c.communeCode, c.sequence)) return;
  if (!state.register || c.communeCode !== state.dashboard?.communeCode) return;
  state.register.stayingNow = Math.max(0, state.register.stayingNow - c.guestsCheckedOut);
  renderCounters();
}

/** An open watchlist hit as an alert shows it, from the live event or from the list of open hits. */
interface OpenHit { hitId: string; notificationId: string; receiptNumber: string; guestName: string; document: string; placeName: string; reason: string; at: string }

function onWatchlistHit(hit: WatchlistHitEvent): void {
  state.tracker.accept(hit.communeCode, hit.sequence);
  if (state.hits.has(hit.hitId)) return; // to the commune and to the listing officer: shown once
  state.hits.set(hit.hitId, { hitId: hit.hitId, notificationId: hit.notificationId, receiptNumber: hit.receiptNumber, guestName: hit.guestName,
    document: hit.documentMasked, placeName: hit.placeName, reason: hit.reason, at: hit.occurredAt });
  renderAlerts();
  beep();
}

function onHitAcknowledged(a: WatchlistHitAcknowledgedEvent): void {
  state.tracker.accept(a.communeCode, a.sequence);
  if (state.hits.delete(a.hitId)) renderAlerts();
}

/** The open hits of the caller's area: they stay until an officer deals with them, whoever was signed in when they came. */
async function loadOpenHits(): Promise<void> {
  try {
    const page = await api<Page<WatchlistHit>>("/api/v1/watchlist/hits?status=open&limit=200");
    state.hits.clear();
    for (const x of page.items) state.hits.set(x.id, { hitId: x.id, notificationId: x.notificationId, receiptNumber: x.receiptNumber, guestName: x.guestName,
      document: x.documentNumber, placeName: x.placeName ?? "", reason: x.reason, at: x.at });
    renderAlerts();
  } catch { /* the live alerts still come */ }
}

/** Guests not on the national system by 20:00 the day after arrival, establishment by establishment, with whom to call. */
function renderOverdue(items: UpstreamOverdue[]): void {
  document.getElementById("upstream-alerts")?.replaceChildren(...items.map((o) => h("div", { class: "alert", role: "alert", "data-overdue": o.establishmentId },
    h("strong", {}, t("upstreamOverdueTitle")), ` — ${o.placeName}: ${o.guests} ${t("guests")} · ${t("arrivedFrom")} ${fmtDateTime(o.oldestArrivalAt)}`,
    o.phone ? ` · ${o.phone}` : "")));
}

function onUpstreamOverdue(e: UpstreamOverdueEvent): void {
  if (e.communeCode === state.commune) renderOverdue(e.items);
}

function renderAlerts(): void {
  const hits = [...state.hits.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  document.getElementById("alerts")?.replaceChildren(...hits.map((hit) => h("div", { class: "alert", role: "alert", "data-hit": hit.hitId },
    h("strong", {}, t("alertText")), " — ", hit.guestName, ` (${hit.document}) · ${hit.placeName} · `, h("code", {}, hit.receiptNumber),
    ` · ${t("reason")}: ${hit.reason} · ${fmtDateTime(hit.at)} `,
    h("button", { type: "button", onclick: () => void openDetail(hit.notificationId) }, t("detail")), " ",
    h("button", { type: "button", class: "secondary", onclick: () => acknowledge(hit) }, t("acknowledge")))));
  state.hitNotifications = new Set(hits.map((x) => x.notificationId));
  if (state.register) renderRegister();
  else if (state.province) renderProvince();
}

/** Closing a hit asks what was done (a note is kept with who and when). */
function acknowledge(hit: OpenHit): void {
  const dialog = document.getElementById("ack") as HTMLDialogElement;
  const note = h("textarea", { id: "ack-note", rows: 3, required: true, maxlength: 500 });
  const error = h("p", { class: "error", role: "alert" });
  dialog.replaceChildren(h("form", { method: "dialog", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api(`/api/v1/watchlist/hits/${hit.hitId}/acknowledge`, { method: "POST", json: { note: note.value } });
      state.hits.delete(hit.hitId);
      renderAlerts();
      dialog.close();
    } catch (err) { error.textContent = errorText(err); }
  } },
    h("h2", { id: "ack-title" }, t("acknowledgeTitle")), h("p", {}, `${hit.guestName} · `, h("code", {}, hit.receiptNumber)),
    h("label", { for: "ack-note" }, t("acknowledgeNote")), note, error,
    h("div", { class: "row" }, h("button", { type: "submit" }, t("acknowledge")),
      h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, t("close")))));
  dialog.showModal();
  note.focus();
}

/** An audible alert: two short tones (Web Audio, no sound file). */
function beep(): void {
  try {
    const ctx = new AudioContext();
    [0, 0.25].forEach((at) => {
      const o = ctx.createOscillator(); const g = ctx.createGain();
      o.frequency.value = 880; o.connect(g); g.connect(ctx.destination);
      g.gain.setValueAtTime(0.2, ctx.currentTime + at); o.start(ctx.currentTime + at); o.stop(ctx.currentTime + at + 0.15);
    });
  } catch { /* no audio device: the visible alert stays */ }
}

function setConnection(text: string, cls: string): void {
  const el = document.getElementById("conn");
  if (el) { el.textContent = text; el.className = "conn " + cls; }
}

async function resume(): Promise<void> {
  const conn = state.connection;
  if (!conn || conn.state !== signalR.HubConnectionState.Connected) return;
  const result = await conn.invoke<{ replayed: number; truncated: boolean }>("Resume", state.tracker.lastSeen());
  if (result.truncated) { if (state.register) await loadCommune(); else if (state.province) await loadProvince(state.province.provinceCode); }
}

async function connect(): Promise<void> {
  await state.connection?.stop();
  const conn = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/police")
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(1000 * 2 ** c.previousRetryCount, 15000) })
    .build();
  conn.on("arrival", onArrival);
  conn.on("checkout", onCheckout);
  conn.on("notificationChanged", onChanged);
  conn.on("watchlistHitAcknowledged", onHitAcknowledged);
  conn.on("upstreamOverdue", onUpstreamOverdue);
  conn.on("watchlistHit", onWatchlistHit);
  conn.on("reportReady", (r: { communeCode: string; sequence: number }) => {
    state.tracker.accept(r.communeCode, r.sequence);
    if (r.communeCode === state.commune) void loadReports(true);
  });
  conn.onreconnecting(() => setConnection(t("reconnecting"), "warn"));
  // Back after a break: the view is rebuilt as a reload would build it, then what came since is asked for.
  conn.onreconnected(async () => {
    setConnection(t("live"), "ok");
    if (state.province && !state.register) await loadProvince(state.province.provinceCode); else await loadCommune();
    await resume();
  });
  conn.onclose(() => setConnection(t("offline"), "bad"));
  state.connection = conn;
  try {
    await conn.start();
    setConnection(t("live"), "ok");
    // The province's screen is read whole: it only needs to hear what moves from now on.
    if (state.province && !state.register)
      for (const [commune, last] of Object.entries(await conn.invoke<Record<string, number>>("Watermarks"))) state.tracker.start(commune, last);
    await resume(); // anything recorded between the summary and the connection
  } catch {
    setConnection(t("offline"), "bad");
    setTimeout(() => void connect(), 5000);
  }
}
// A safety net: ask for anything missed every 30 s (a push lost while Redis was briefly away).
setInterval(() => void resume().catch(() => undefined), 30_000);

async function openDetail(id: string): Promise<void> {
  const dialog = document.getElementById("detail") as HTMLDialogElement;
  let n: Notification, history: Change[], reasonList: Awaited<ReturnType<typeof reasons>>;
  try {
    [n, history, reasonList] = await Promise.all([api<Notification>(`/api/v1/notifications/${id}`), api<Change[]>(`/api/v1/notifications/${id}/history`),
      reasons()]);
  } catch (err) {
    dialog.replaceChildren(h("p", { class: "error", role: "alert" }, t("loadFailed"), " ", errorText(err)),
      h("button", { type: "button", onclick: () => dialog.close() }, t("close")));
    dialog.showModal();
    return;
  }
  // Words, not codes: the status, the reason and the kind of document as the forms name them.
  const reasonName = (code: string) => { const r = reasonList.find((x) => x.code === code); return r ? (currentLang() === "vi" ? r.name : r.nameEn) : code; };
  const documentName = (code: string) => { const d = documentTypes.find(([v]) => v === code); return d ? t(d[1]) : code; };
  const birth = (g: Notification["guests"][number]) => !g.dateOfBirth ? "—" : g.dateOfBirthYearOnly ? g.dateOfBirth.slice(0, 4) : fmtDate(g.dateOfBirth);
  const foreign = (g: Notification["guests"][number]) => {
    const f = g.foreign;
    if (!f) return "—";
    return [f.visaExempt ? t("visaExempt") : f.visaOrResidenceDocument ? `${t("visa")}: ${f.visaOrResidenceDocument}` : null,
      f.validUntil ? `${t("validUntil")} ${fmtDate(f.validUntil)}` : null, f.entryDate ? `${t("entryDate")} ${fmtDate(f.entryDate)}` : null,
      f.entryPort ? `${t("entryPort")} ${portText(f.entryPort)}` : null].filter(Boolean).join(" · ") || "—";
  };
  const guestColumns: TextKey[] = ["guestList", "birth", "gender", "document", "nationality", "foreignDetails", "deadline", "status", "upstream"];
  dialog.replaceChildren(
    h("h2", { id: "detail-title" }, `${t("detail")} ${n.receiptNumber}`),
    h("dl", { class: "facts" },
      h("dt", {}, t("status")), h("dd", { id: "detail-status" }, statusText(n.status)),
      h("dt", {}, t("place")), h("dd", { id: "detail-place" },
        [n.establishmentId ? n.placeName : `${t("household")}: ${n.placeName ?? n.address}`, n.establishmentId ? n.address : null,
          n.room ? `${t("room")} ${n.room}` : null].filter(Boolean).join(" · ")),
      h("dt", {}, t("time")), h("dd", {}, fmtDateTime(n.arrivalAt)),
      h("dt", {}, t("departure")), h("dd", {}, fmtDateTime(n.departureAt)),
      h("dt", {}, t("reason")), h("dd", {}, [reasonName(n.reason), n.reasonDetail].filter(Boolean).join(": ")),
      h("dt", {}, t("receivedAt")), h("dd", { id: "detail-received" },
        [fmtDateTime(n.receivedAt), channelWord(n.channel), n.receivedBy ? receivedWord(n.receivedBy) : null].filter(Boolean).join(" · ")),
      h("dt", {}, t("deadline")), h("dd", {}, n.deadlineAt ? `${fmtDateTime(n.deadlineAt)}${n.late ? " · " + t("late") : ""}` : "—"),
      n.notifier ? h("dt", {}, t("notifier")) : null,
      n.notifier ? h("dd", { id: "detail-notifier" }, n.notifier.guestNotifiedForSelf ? t("guestNotifiedForSelf")
        : [n.notifier.hostName, n.notifier.hostPhone].filter(Boolean).join(" · ")) : null,
      h("dt", {}, t("flags")), h("dd", {}, n.flags.map((f) => f.message).join("; ") || "—")),
    // On a phone each guest is a card with its fields named (the staying list's layout).
    h("div", { class: "table-scroll" }, h("table", { id: "detail-guests", class: "stays" },
      h("thead", {}, h("tr", {}, ...guestColumns.map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, ...n.guests.map((g) => h("tr", {}, ...[g.fullName, birth(g),
        g.gender ? t(g.gender === "female" ? "female" : "male") : "—",
        `${documentName(g.documentType)} ${g.documentNumber ?? ""}`, countryText(g.nationality),
        g.nationality === "VNM" ? "—" : foreign(g),
        g.deadlineAt ? `${fmtDateTime(g.deadlineAt)}${g.late ? " · " + t("late") : ""}` : "—",
        g.checkedOutAt ? `${t("checkedOutAt")} ${fmtDateTime(g.checkedOutAt)}` : statusText(n.status),
        g.upstream ? [upstreamBadge(g.upstream.state).textContent, g.upstream.sentAt ? fmtDateTime(g.upstream.sentAt) : null,
          g.upstream.state === "sent" ? null : g.upstream.message].filter(Boolean).join(" · ") : "—"]
        .map((text, i) => h("td", { "data-label": t(guestColumns[i]) }, text))))))),
    h("h3", {}, t("history")),
    history.length === 0 ? h("p", { class: "muted" }, t("noChanges")) :
      h("ol", { class: "history", id: "detail-history" }, ...history.map((c) => h("li", {},
        h("strong", {}, `${fmtDateTime(c.at)} · ${actionWord(c.action)}`), ` · ${actorWord(c.actorKind)}${c.actorName ? ": " + c.actorName : ""}`,
        c.reason ? h("div", {}, `${t("why")}: ${c.reason}`) : null,
        h("ul", {}, ...changedFields(c, reasonName).map((line) => h("li", {}, line)))))),
    h("button", { type: "button", onclick: () => dialog.close() }, t("close")));
  dialog.showModal();
}

const actionWord = (action: string): string =>
  ({ checkout: t("actionCheckout"), extend: t("actionExtend"), correct: t("actionCorrect"), cancel: t("actionCancel") } as Record<string, string>)[action] ?? action;
const actorWord = (kind: string): string =>
  ({ user: t("actorUser"), "api-key": t("actorApiKey"), anonymous: t("actorHousehold"), household: t("actorHousehold") } as Record<string, string>)[kind] ?? kind;

/** What a change changed, field by field, in words: "Phòng: 301 → 405". */
function changedFields(c: Change, reasonName: (code: string) => string): string[] {
  const flat = (text: string | null, into: Map<string, unknown>, prefix = ""): Map<string, unknown> => {
    if (!text) return into;
    const walk = (value: unknown, path: string): void => {
      if (value && typeof value === "object" && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
      else if (Array.isArray(value) && value.some((v) => v && typeof v === "object")) value.forEach((v, i) => walk(v, `${path}[${i}]`));
      else into.set(path, value);
    };
    try { walk(JSON.parse(text), prefix); } catch { /* not JSON: nothing to compare */ }
    return into;
  };
  const before = flat(c.before, new Map()), after = flat(c.after, new Map());
  const lines: string[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(path), b = after.get(path);
    if (JSON.stringify(a ?? null) === JSON.stringify(b ?? null)) continue;
    const field = path.replace(/^guests\[(\d+)\]\./, (_, i) => `${t("guest")} ${Number(i) + 1}: `).replace(/^stay\./, "");
    const name = field.replace(/([a-zA-Z]+)$/, (k) => fieldWord(k));
    const key = path.split(".").pop() ?? "";
    lines.push(`${name}: ${valueWord(key, a, reasonName)} → ${valueWord(key, b, reasonName)}`);
  }
  return lines;
}

function fieldWord(key: string): string {
  const words: Record<string, TextKey> = {
    status: "status", arrivalAt: "time", departureAt: "departure", checkedOutAt: "checkedOutAt", cancelledAt: "actionCancel", room: "room",
    reason: "reason", reasonDetail: "reason", fullName: "fullName", dateOfBirth: "birth", gender: "gender", nationality: "nationality",
    number: "document", type: "document", kind: "document", phone: "hostPhone", permanentAddress: "permanentAddress", checkedOutGuests: "checkedOutAt",
  };
  return words[key] ? t(words[key]) : key;
}

function valueWord(key: string, value: unknown, reasonName: (code: string) => string): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.map((v) => typeof v === "number" ? `${t("guest")} ${v + 1}` : String(v)).join(", ");
  const text = String(value);
  if (key === "status") return statusText(text);
  if (key === "reason") return reasonName(text);
  if (key === "gender") return t(text === "female" ? "female" : "male");
  if (key === "nationality") return countryText(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return fmtDateTime(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return fmtDate(text);
  return text;
}

/** An officer enters a notification received in person or by phone, for the commune on screen. */
async function openEntry(): Promise<void> {
  const panel = document.getElementById("entry-panel")!;
  const commune = state.commune;
  const path = `/api/v1/communes/${commune}/notifications`;
  const form = await stayForm("officer", `${path}/validate`,
    (body, key) => postWithKey<Receipt>(path, body, key),
    (receipt) => panel.replaceChildren(h("h2", { id: "entry-title" }, t("officerEntry")), receiptView(receipt, [], [
      h("button", { type: "button", class: "secondary", onclick: () => void openEntry() }, t("notifyAnother")),
    ], { signedIn: true })),
    (state.dashboard?.establishments ?? []).map((e) => ({ id: e.id, name: e.name })));
  panel.replaceChildren(h("h2", { id: "entry-title" }, t("officerEntry")), form.element);
  document.getElementById("received-by")?.focus();
}

function reportsPanel(): HTMLElement {
  return h("section", { class: "card" }, h("h2", {}, t("reports")), h("p", { id: "report-news", role: "status", class: "muted" }),
    h("ul", { id: "reports", class: "plain" }));
}

async function loadReports(announce: boolean): Promise<void> {
  if (!state.commune) return;
  const versions = await api<{ day: string; kind: string; version: number; builtAt: string; builtBy: string; notifications: number; final: boolean }[]>(
    `/api/v1/communes/${state.commune}/reports`);
  const base = `/api/v1/communes/${state.commune}/reports`;
  document.getElementById("reports")?.replaceChildren(...versions.slice(0, 30).map((r) => h("li", { "data-report": `${r.day}/${r.kind}/${r.version}` },
    h("strong", {}, `${fmtDate(r.day)} · ${t(r.kind === "morning" ? "morningReport" : "nightlyReport")}`),
    ` · v${r.version} · ${r.notifications} ${t("arrivals").toLowerCase()} · ${fmtDateTime(r.builtAt)}`,
    r.builtBy === "scheduler" ? "" : ` · ${t("rebuiltBy")} ${r.builtBy.replace(/^user:/, "")}`,
    r.final ? "" : h("span", { class: "badge warn", title: t("provisionalHint") }, t("provisional")), " · ",
    h("a", { href: `${base}/${r.day}.pdf?kind=${r.kind}&version=${r.version}`, target: "_blank", rel: "noopener" }, "PDF"), " · ",
    h("a", { href: `${base}/${r.day}.xlsx?kind=${r.kind}&version=${r.version}`, download: "" }, "XLSX"), " · ",
    h("a", { href: `${base}/${r.day}.csv?kind=${r.kind}&version=${r.version}`, download: "" }, "CSV"), " · ",
    h("a", { href: `${base}/${r.day}?kind=${r.kind}&version=${r.version}`, target: "_blank", rel: "noopener" }, "JSON"))));
  if (announce && versions[0]) {
    const news = document.getElementById("report-news");
    if (news) news.textContent = `${t("reportReady")}: ${fmtDate(versions[0].day)} (${t(versions[0].kind === "morning" ? "morningReport" : "nightlyReport")})`;
  }
}

function searchPanel(scope: () => string = () => `/api/v1/communes/${state.commune}`): HTMLElement {
  const q = h("input", { id: "search-q", type: "search", placeholder: t("searchHint"), title: t("searchHint"), class: "wide-input" });
  const from = h("input", { id: "search-from", type: "date" });
  const to = h("input", { id: "search-to", type: "date" });
  const est = h("select", { id: "search-establishment" }, h("option", { value: "" }, t("all")));
  const results = h("div", { id: "search-results", "aria-live": "polite" });
  let cursor: string | null = null;
  const run = async (more: boolean) => {
    // The words in the body: a name or a document number never goes in a URL.
    const page = await api<Page<Notification>>(`${scope()}/notifications/search`, { method: "POST", json: {
      q: q.value.trim() || null, from: from.value ? `${from.value}T00:00:00` : null, to: to.value ? `${to.value}T23:59:59` : null,
      establishmentId: est.value || null, cursor: more ? cursor : null } });
    cursor = page.nextCursor;
    const rows = page.items.map((n) => h("tr", { tabindex: 0, onclick: () => void openDetail(n.id), "data-receipt": n.receiptNumber,
      onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") void openDetail(n.id); } },
      h("td", {}, fmtDateTime(n.receivedAt)), h("td", {}, fmtDateTime(n.arrivalAt)), h("td", {}, h("code", {}, n.receiptNumber)),
      h("td", {}, ...n.guests.map((g) => h("div", {}, g.fullName, " ", h("small", { class: "muted" }, [g.documentNumber, countryText(g.nationality)].filter(Boolean).join(" · "))))),
      h("td", {}, statusText(n.status))));
    if (!more) results.replaceChildren(h("div", { class: "table-scroll" }, h("table", {},
      h("thead", {}, h("tr", {}, ...(["receivedCol", "time", "receipt", "guestList", "status"] as TextKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", { id: "search-rows" }))));
    results.querySelector("#search-rows")?.append(...rows);
    results.querySelector(".more")?.remove();
    if (!more && page.items.length === 0) results.replaceChildren(h("p", { class: "muted" }, t("noResults")));
    if (cursor) results.append(h("button", { type: "button", class: "more", onclick: () => void run(true) }, t("more")));
  };
  return h("section", { class: "card" }, h("h2", {}, t("search")),
    h("form", { class: "row", role: "search", onsubmit: (e: Event) => { e.preventDefault(); void run(false); } },
      h("label", { for: "search-q" }, t("search")), q,
      h("label", { for: "search-from" }, t("from")), from,
      h("label", { for: "search-to" }, t("to")), to,
      h("label", { for: "search-establishment" }, t("establishment")), est,
      h("button", { type: "submit" }, t("search"))),
    results);
}

function watchlistPanel(): HTMLElement {
  const number = h("input", { id: "wl-number", required: true, autocomplete: "off" });
  const reason = h("input", { id: "wl-reason", required: true });
  const expires = h("input", { id: "wl-expires", type: "date", required: true });
  const error = h("p", { class: "error", role: "alert" });
  return h("section", { class: "card" }, h("h2", {}, t("watchlist")),
    h("form", {
      class: "row", onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = "";
        try {
          await api("/api/v1/watchlist", { method: "POST", json: { documentNumber: number.value, reason: reason.value, expiresAt: expires.value ? expires.value + "T23:59:59" : null } });
          number.value = ""; reason.value = ""; expires.value = "";
          await loadWatchlist();
        } catch (err) {
          error.textContent = errorText(err);
        }
      },
    },
      h("label", { for: "wl-number" }, t("documentNumber")), number,
      h("label", { for: "wl-reason" }, t("reason")), reason,
      h("label", { for: "wl-expires" }, t("expiresAt")), expires,
      h("button", { type: "submit" }, t("add"))),
    error,
    h("ul", { id: "watchlist", class: "plain" }));
}

async function loadWatchlist(): Promise<void> {
  const entries = await api<WatchlistEntry[]>("/api/v1/watchlist");
  document.getElementById("watchlist")?.replaceChildren(...entries.map((w) => h("li", {},
    h("code", {}, w.documentNumber), ` · ${w.reason} · ${t("hits")}: ${w.hits}${w.expiresAt ? ` · ${t("expiresAt")}: ${fmtDateTime(w.expiresAt)}` : ""} `,
    h("button", { type: "button", class: "link", onclick: async () => { await api(`/api/v1/watchlist/${w.id}`, { method: "DELETE" }); await loadWatchlist(); } }, t("remove")))));
}

function auditPanel(): HTMLElement {
  return h("section", { class: "card" }, h("h2", {}, t("audit")), h("div", { id: "audit" }));
}

async function loadAudit(): Promise<void> {
  const page = await api<Page<AuditEntry>>("/api/v1/audit?limit=50");
  document.getElementById("audit")?.replaceChildren(h("table", {},
    h("thead", {}, h("tr", {}, ...(["time", "actor", "action", "commune", "from_"] as TextKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", {}, ...page.items.map((a) => h("tr", {}, h("td", {}, fmtDateTime(a.at)), h("td", {}, `${a.actorKind} ${a.actorId ?? ""}`),
      h("td", {}, a.action), h("td", {}, a.communeCode ?? "—"), h("td", {}, a.remoteAddress ?? "—"))))));
}

window.addEventListener("unhandledrejection", (e) => {
  if (e.reason instanceof ApiError && e.reason.status === 401) { state.me = null; showLogin(); }
});

void boot();

/** How a notification came in, in words. */
function channelWord(channel: string): string {
  const keys: Record<string, TextKey> = { api: "chApi", batch: "chBatch", "web-form": "chWebForm", household: "chHousehold", officer: "chOfficer", kbtt: "chKbtt" };
  return keys[channel] ? t(keys[channel]) : channel;
}

/** How an officer received it, in words. */
function receivedWord(way: string): string {
  const keys: Record<string, TextKey> = { phone: "byPhone", "in-person": "inPerson", email: "byEmail", other: "otherWay" };
  return keys[way] ? t(keys[way]) : way;
}
