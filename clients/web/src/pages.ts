/**
 * The submitting pages: establishment staff (notify, today's and staying guests with checkout/extend/cancel, API
 * keys), the public household form and the receipt status page.
 */
import { api, ApiError, errorText, postWithKey, type Me, type Notification, type Page } from "./api";
import { currentLang, fmtDate, fmtDateTime, statusText, t, upstreamText, vietnamToday } from "./i18n";
import { communePicker, field, receiptView, stayForm, type Receipt } from "./stayform";
import { h, vietnamLocal } from "./ui";
import { countries, countryCodeOf, countryText, portList } from "./countries";

interface UploadReport {
  mode: string; rows: number; notifications: number; accepted: number; rejected: number;
  items: { index: number; rows: number[]; status: string; receiptNumber: string | null; flags: { code: string; message: string }[];
    problems: { row: number; column: string | null; code: string; message: string }[] }[];
}
interface Establishment {
  id: string; name: string; address: string; communeCode: string; communeName: string; status: string; suspensionReason: string | null;
  rejectionReason: string | null; createdAt: string;
}
interface ApiKey { prefix: string; name: string | null; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

/** Establishment staff: three tabs. */
export async function showStaff(app: HTMLElement, me: Me, header: (title: string) => HTMLElement): Promise<void> {
  const establishment = await api<Establishment>(`/api/v1/establishments/${me.establishmentId}`);
  if (establishment.status !== "approved") {
    // An application being looked at, turned down or a suspended establishment: its state and nothing else.
    const [title, text] = establishment.status === "pending" ? [t("applicationPending"), t("applicationPendingText")]
      : establishment.status === "rejected" ? [t("applicationRejected"), `${t("why")}: ${establishment.rejectionReason ?? "—"}`]
        : [t("establishmentSuspended"), `${t("why")}: ${establishment.suspensionReason ?? "—"}`];
    app.replaceChildren(header(`${establishment.name} — ${establishment.address}`), h("main", { id: "staff" },
      h("section", { class: "card", id: "application-status", "data-status": establishment.status, role: "status" },
        h("h2", {}, title), h("p", {}, text),
        h("p", { class: "muted" }, `${establishment.communeName} · ${t("appliedAt")} ${fmtDateTime(establishment.createdAt)}`))));
    document.title = `${title} — CuTru.LuuTru`;
    return;
  }
  const main = h("main", { id: "staff" });
  const tabs: [string, string, () => Promise<void>][] = [
    ["notify", t("notifyTab"), () => notify()],
    ["staying", t("stayingTab"), () => staying()],
    ["upload", t("uploadTab"), () => upload()],
    ["keys", t("keysTab"), () => keys()],
    ["kbtt", t("kbttTab"), () => kbtt()],
  ];
  const nav = h("nav", { class: "tabs", "aria-label": t("staffTitle") }, ...tabs.map(([id, label, open]) =>
    h("button", { type: "button", class: "tab", "data-tab": id, onclick: async () => { select(id); await open(); } }, label)));
  const select = (id: string) => nav.querySelectorAll<HTMLButtonElement>("button").forEach((b) => b.setAttribute("aria-current", String(b.dataset.tab === id)));
  app.replaceChildren(header(`${establishment.name} — ${establishment.address}`), nav, main);
  document.title = `${establishment.name} — CuTru.LuuTru`;

  async function notify(): Promise<void> {
    const form = await stayForm("establishment", "/api/v1/notifications/validate", (body, key) => postWithKey<Receipt>("/api/v1/notifications", body, key),
      (receipt) => main.replaceChildren(receiptView(receipt, [], [
        h("button", { type: "button", class: "secondary", onclick: () => void notify() }, t("notifyAnother")),
        h("button", { type: "button", class: "secondary", onclick: async () => { select("staying"); await staying(); } }, t("stayingTab")),
      ], { signedIn: true })));
    main.replaceChildren(h("h2", { id: "form-title" }, t("notifyTab")), form.element);
    form.element.querySelector<HTMLInputElement>("[data-path='guests[0].fullName']")?.focus();
  }

  async function staying(): Promise<void> {
    const today = vietnamToday();
    const [todays, stayingNow] = await Promise.all([
      api<Page<Notification>>(`/api/v1/notifications?from=${today}T00:00:00&limit=100`) /* no offset: Vietnam time */,
      api<Page<Notification>>("/api/v1/notifications?status=recorded&limit=100"),
    ]);
    const message = h("p", { role: "status", class: "muted", id: "staying-status" });
    main.replaceChildren(h("h2", {}, t("stayingTab")), message,
      h("h3", {}, t("stayingNow")), table(stayingNow.items, true),
      h("h3", {}, t("today")), table(todays.items, false));

    function table(items: Notification[], actions: boolean): HTMLElement {
      if (items.length === 0) return h("p", { class: "muted" }, t("nobody"));
      return h("table", { class: "stays" },
        h("thead", {}, h("tr", {}, h("th", {}, t("receipt")), h("th", {}, t("arrival")), h("th", {}, t("plannedDeparture")),
          h("th", {}, t("guestList")), h("th", {}, t("status")))),
        h("tbody", {}, ...items.map((n) => h("tr", { "data-receipt": n.receiptNumber },
          h("td", { "data-label": t("receipt") }, n.receiptNumber, n.room ? ` · ${t("room")} ${n.room}` : ""),
          h("td", { "data-label": t("arrival") }, fmtDateTime(n.arrivalAt)), h("td", { "data-label": t("plannedDeparture") }, fmtDateTime(n.departureAt)),
          h("td", { "data-label": t("guestList") }, h("ul", { class: "plain" }, ...n.guests.map((g) => h("li", { "data-guest": g.fullName },
            g.fullName, g.checkedOutAt ? ` (${t("checkedOut")})` : "",
            g.upstream ? h("small", { class: "muted", "data-upstream": g.upstream.state }, ` · ${upstreamText(g.upstream.state)}`) : "",
            actions && !g.checkedOutAt && n.guests.filter((x) => !x.checkedOutAt).length > 1
              ? h("button", { type: "button", class: "link", "aria-label": `${t("checkoutGuest")}: ${g.fullName}`, onclick: (e: Event) => act(n, "checkout", { guestIndexes: [g.index] }, e.currentTarget as HTMLElement) }, t("checkout"))
              : null)))),
          h("td", { "data-label": t("status") }, statusText(n.status), actions ? h("div", { class: "row" },
            h("button", { type: "button", "aria-label": `${t("checkout")} ${n.receiptNumber}`, onclick: (e: Event) => act(n, "checkout", {}, e.currentTarget as HTMLElement) }, t("checkout")),
            extendControl(n), cancelControl(n),
            h("button", { type: "button", class: "secondary", "aria-label": `${t("correct")} ${n.receiptNumber}`, onclick: () => correct(n) }, t("correct"))) : null)))));
    }

    /** Correct any field of the stay and of each guest; the server judges again and keeps the history (with the reason). */
    function correct(n: Notification): void {
      const room = h("input", { id: "fix-room", type: "text", value: n.room ?? "", maxLength: 20 });
      const arrival = h("input", { id: "fix-arrival", type: "datetime-local", value: vietnamLocal(Date.parse(n.arrivalAt)) });
      const departure = h("input", { id: "fix-departure", type: "datetime-local", value: vietnamLocal(Date.parse(n.departureAt)) });
      const rows = n.guests.map((g) => ({
        g,
        name: h("input", { id: `fix-name-${g.index}`, type: "text", value: g.fullName, maxLength: 100 }),
        number: h("input", { id: `fix-doc-${g.index}`, type: "text", value: g.documentNumber ?? "", maxLength: 30, disabled: g.documentType === "none" }),
        dob: h("input", { id: `fix-dob-${g.index}`, type: "date", value: g.dateOfBirth ?? "" }),
        gender: h("select", { id: `fix-gender-${g.index}` }, h("option", { value: "" }, "—"),
          h("option", { value: "male", selected: g.gender === "male" }, t("male")), h("option", { value: "female", selected: g.gender === "female" }, t("female"))),
        nationality: h("input", { id: `fix-nat-${g.index}`, type: "text", value: countryText(g.nationality) || g.nationality, maxLength: 80, list: "fix-nationalities" }),
        // A foreigner's visa and entry details, sent whole when any of them changed.
        foreign: g.nationality === "VNM" ? null : {
          exempt: h("input", { id: `fix-exempt-${g.index}`, type: "checkbox", checked: g.foreign?.visaExempt === true }),
          visa: h("input", { id: `fix-visa-${g.index}`, type: "text", value: g.foreign?.visaOrResidenceDocument ?? "", maxLength: 50 }),
          until: h("input", { id: `fix-until-${g.index}`, type: "date", value: g.foreign?.validUntil ?? "" }),
          entryDate: h("input", { id: `fix-entry-${g.index}`, type: "date", value: g.foreign?.entryDate ?? "" }),
          port: h("input", { id: `fix-port-${g.index}`, type: "text", value: g.foreign?.entryPort ?? "", maxLength: 100, list: "fix-ports", autocomplete: "off" }),
        },
      }));
      const foreignOf = (r: (typeof rows)[number]) => {
        const f = r.foreign;
        if (!f) return undefined;
        const now = { visaOrResidenceDocument: f.visa.value.trim() || null, validUntil: f.until.value || null, entryDate: f.entryDate.value || null,
          entryPort: f.port.value.trim() || null, visaExempt: f.exempt.checked || null };
        const was = r.g.foreign;
        const same = now.visaOrResidenceDocument === (was?.visaOrResidenceDocument ?? null) && now.validUntil === (was?.validUntil ?? null)
          && now.entryDate === (was?.entryDate ?? null) && now.entryPort === (was?.entryPort ?? null) && now.visaExempt === (was?.visaExempt || null);
        return same ? undefined : now;
      };
      const why = h("input", { id: "fix-reason", type: "text", maxLength: 500, "aria-required": "true" }); // checked by the form, in words
      const error = h("p", { class: "error", role: "alert" });
      const dialog = h("dialog", { "aria-labelledby": "fix-title" });
      const form = h("form", {
        class: "stay-form", method: "dialog",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          if (!why.value.trim()) { error.textContent = t("reasonRequired"); why.setAttribute("aria-invalid", "true"); why.focus(); return; }
          const natOf = (r: (typeof rows)[number]) => countryCodeOf(r.nationality.value) ?? r.nationality.value.trim();
          const guests = rows.map((r) => ({
            index: r.g.index,
            fullName: r.name.value.trim() !== r.g.fullName ? r.name.value.trim() : undefined,
            document: r.g.documentType !== "none" && r.number.value.trim() !== (r.g.documentNumber ?? "") ? { type: r.g.documentType, number: r.number.value.trim() } : undefined,
            dateOfBirth: r.dob.value && r.dob.value !== (r.g.dateOfBirth ?? "") ? r.dob.value : undefined,
            gender: r.gender.value && r.gender.value !== (r.g.gender ?? "") ? r.gender.value : undefined,
            nationality: natOf(r) && natOf(r) !== r.g.nationality ? natOf(r) : undefined,
            foreign: foreignOf(r),
          })).filter((x) => x.fullName !== undefined || x.document !== undefined || x.dateOfBirth !== undefined || x.gender !== undefined
            || x.nationality !== undefined || x.foreign !== undefined);
          const body: Record<string, unknown> = { reason: why.value.trim() || null };
          const stay: Record<string, unknown> = {};
          if (room.value.trim() !== (n.room ?? "")) stay.room = room.value.trim();
          if (arrival.value && arrival.value !== vietnamLocal(Date.parse(n.arrivalAt))) stay.arrivalAt = `${arrival.value}:00`;
          if (departure.value && departure.value !== vietnamLocal(Date.parse(n.departureAt))) stay.departureAt = `${departure.value}:00`;
          if (Object.keys(stay).length) body.stay = stay;
          if (guests.length) body.guests = guests;
          try {
            await api(`/api/v1/notifications/${n.id}`, { method: "PATCH", json: body });
            dialog.close();
            dialog.remove();
            await staying();
          } catch (err) {
            error.textContent = errorText(err);
          }
        },
      },
        h("h2", { id: "fix-title" }, `${t("correct")} ${n.receiptNumber}`),
        h("datalist", { id: "fix-nationalities" }, ...countries().map((c) => h("option", { value: currentLang() === "vi" ? c.nameVi : c.nameEn }, c.code))),
        portList("fix-ports"),
        h("fieldset", {}, field("fix-room", t("room"), room, "stay.room"),
          field("fix-arrival", t("arrival"), arrival, "stay.arrivalAt"), field("fix-departure", t("plannedDeparture"), departure, "stay.departureAt"),
          ...rows.flatMap((r) => [field(`fix-name-${r.g.index}`, `${t("fullName")} (${r.g.index + 1})`, r.name, `guests[${r.g.index}].fullName`),
            field(`fix-doc-${r.g.index}`, `${t("documentNumber")} (${r.g.index + 1})`, r.number, `guests[${r.g.index}].document.number`),
            field(`fix-dob-${r.g.index}`, `${t("dateOfBirth")} (${r.g.index + 1})`, r.dob, `guests[${r.g.index}].dateOfBirth`),
            field(`fix-gender-${r.g.index}`, `${t("gender")} (${r.g.index + 1})`, r.gender, `guests[${r.g.index}].gender`),
            field(`fix-nat-${r.g.index}`, `${t("nationality")} (${r.g.index + 1})`, r.nationality, `guests[${r.g.index}].nationality`),
            ...(r.foreign ? [
              h("div", { class: "field check" }, r.foreign.exempt, h("label", { for: `fix-exempt-${r.g.index}` }, `${t("visaExempt")} (${r.g.index + 1})`)),
              field(`fix-visa-${r.g.index}`, `${t("visa")} (${r.g.index + 1})`, r.foreign.visa, `guests[${r.g.index}].foreign.visaOrResidenceDocument`),
              field(`fix-until-${r.g.index}`, `${t("visaValidUntil")} (${r.g.index + 1})`, r.foreign.until, `guests[${r.g.index}].foreign.validUntil`),
              field(`fix-entry-${r.g.index}`, `${t("entryDate")} (${r.g.index + 1})`, r.foreign.entryDate, `guests[${r.g.index}].foreign.entryDate`),
              field(`fix-port-${r.g.index}`, `${t("entryPort")} (${r.g.index + 1})`, r.foreign.port, `guests[${r.g.index}].foreign.entryPort`)] : [])]),
          field("fix-reason", t("correctReason"), why, "reason")),
        error,
        h("div", { class: "row" }, h("button", { type: "submit" }, t("save")),
          h("button", { type: "button", class: "secondary", onclick: () => { dialog.close(); dialog.remove(); } }, t("close"))));
      dialog.append(form);
      document.body.append(dialog);
      dialog.showModal();
    }

    function extendControl(n: Notification): HTMLElement {
      // A day after the planned departure: an extension is always later than what was planned.
      const input = h("input", { type: "datetime-local", "aria-label": `${t("extend")} ${n.receiptNumber}`, value: vietnamLocal(Date.parse(n.departureAt) + 86_400_000) });
      return h("span", { class: "inline" }, input,
        h("button", { type: "button", class: "secondary", onclick: () => act(n, "extend", { departureAt: `${input.value}:00` }) }, t("extend")));
    }
    function cancelControl(n: Notification): HTMLElement {
      const reason = h("input", { type: "text", "aria-label": `${t("cancelReason")} ${n.receiptNumber}`, placeholder: t("cancelReason") });
      return h("span", { class: "inline" }, reason,
        h("button", { type: "button", class: "danger", onclick: (e: Event) => act(n, "cancel", { reason: reason.value.trim() || null }, e.currentTarget as HTMLElement) }, t("cancel")));
    }
    async function act(n: Notification, action: string, body: Record<string, unknown>, button?: HTMLElement): Promise<void> {
      // Checking out and cancelling are asked once more, in place: "Trả phòng?" with Có / Không.
      if ((action === "checkout" || action === "cancel") && button && !button.dataset.confirmed) {
        const yes = h("button", { type: "button", class: action === "cancel" ? "danger" : "", "data-confirm": action,
          onclick: () => { yes.dataset.confirmed = "1"; void act(n, action, body, yes); } }, t("confirmYes"));
        const no = h("button", { type: "button", class: "secondary", onclick: () => ask.replaceWith(button) }, t("confirmNo"));
        const ask = h("span", { class: "inline confirm", role: "group" }, `${action === "checkout" ? t("confirmCheckout") : t("confirmCancel")} `, yes, " ", no);
        button.replaceWith(ask);
        yes.focus();
        return;
      }
      try {
        await api(`/api/v1/notifications/${n.id}/${action}`, { method: "POST", json: body });
        await staying();
        document.getElementById("staying-status")!.textContent = `${n.receiptNumber}: ${action === "checkout" ? t("checkedOut") : "OK"}`;
      } catch (err) {
        message.textContent = errorText(err);
      }
    }
  }

  async function upload(): Promise<void> {
    const file = h("input", { id: "upload-file", type: "file", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    const result = h("div", { id: "upload-result", "aria-live": "polite" });
    const run = async (mode: "preview" | "send") => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      const type = chosen.name.toLowerCase().endsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv";
      try {
        const report = await api<UploadReport>(`/api/v1/notifications/upload?mode=${mode}`, { method: "POST", body: chosen, headers: { "Content-Type": type } });
        showReport(report);
      } catch (err) {
        result.replaceChildren(h("p", { class: "error", role: "alert" },
          errorText(err)));
      }
    };
    const fill = (text: string, values: Record<string, number>) => Object.entries(values).reduce((s, [k, v]) => s.replace(`{${k}}`, String(v)), text);
    const showReport = (r: UploadReport) => {
      const summary = r.mode === "send" ? fill(t("sentSummary"), { ok: r.accepted, bad: r.rejected }) : fill(t("uploadSummary"), { ok: r.accepted, bad: r.rejected, rows: r.rows });
      const send = r.mode === "preview" && r.accepted > 0 ? h("button", {
        type: "button", id: "upload-send",
        onclick: () => { if (r.rejected === 0 || window.confirm(t("confirmSend"))) void run("send"); },
      }, fill(t("sendValid"), { n: r.accepted })) : null;
      const line = (i: UploadReport["items"][number]) => {
        const notes = h("ul", { class: "plain" },
          ...i.problems.map((p) => h("li", {}, `${t("rows")} ${p.row}${p.column ? ` · ${p.column}` : ""}: ${p.message}`)),
          ...i.flags.map((f) => h("li", { class: "muted" }, f.message)));
        const state = i.status === "valid" ? t("validRow") : i.status === "accepted" ? t("acceptedRow")
          : i.status === "already-sent" ? t("alreadySentRow") : t("rejectedRow");
        return h("tr", { "data-rows": i.rows.join(","), "data-status": i.status, class: i.status === "rejected" ? "flagged" : "" },
          h("td", {}, i.rows.join(", ")), h("td", {}, state), h("td", {}, i.receiptNumber ?? ""), h("td", {}, notes));
      };
      const head = h("thead", {}, h("tr", {}, h("th", {}, t("rows")), h("th", {}, t("status")), h("th", {}, t("receipt")), h("th", {}, t("problem"))));
      result.replaceChildren(h("p", { role: "status", id: "upload-summary" }, summary), send ?? "",
        h("table", { class: "stays" }, head, h("tbody", {}, ...r.items.map(line))));
    };
    main.replaceChildren(h("h2", {}, t("uploadTab")), h("p", { class: "muted" }, t("uploadIntro")),
      h("p", {}, `${t("template")}: `, h("a", { href: "/api/v1/notifications/upload/template.xlsx", download: "" }, "XLSX"), " · ",
        h("a", { href: "/api/v1/notifications/upload/template.csv", download: "" }, "CSV")),
      h("div", { class: "row" }, h("label", { for: "upload-file" }, t("chooseFile")), file,
        h("button", { type: "button", id: "upload-preview", onclick: () => void run("preview") }, t("preview"))),
      result);
  }

  async function keys(): Promise<void> {
    const base = `/api/v1/establishments/${establishment.id}/api-keys`;
    let list: ApiKey[];
    try {
      list = await api<ApiKey[]>(base);
    } catch (err) {
      main.replaceChildren(h("p", { class: "error" }, err instanceof ApiError && err.status === 403 ? t("notAllowed") : (err as Error).message));
      return;
    }
    const name = h("input", { id: "key-name", type: "text", maxLength: 100 });
    const created = h("p", { role: "status", id: "key-created" });
    main.replaceChildren(h("h2", {}, t("keysTab")),
      h("form", {
        class: "row", onsubmit: async (e: Event) => {
          e.preventDefault();
          const key = await api<{ apiKey: string; prefix: string }>(base, { method: "POST", json: { name: name.value.trim() || null } });
          await keys();
          document.getElementById("key-created")!.replaceChildren(t("keyShownOnce"), " ", h("code", {}, key.apiKey));
        },
      }, h("label", { for: "key-name" }, t("keyName")), name, h("button", { type: "submit" }, t("createKey"))),
      created,
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("prefix")), h("th", {}, t("keyName")), h("th", {}, t("lastUsed")), h("th", {}, ""))),
        h("tbody", {}, ...list.map((k) => h("tr", { "data-prefix": k.prefix },
          h("td", {}, h("code", {}, k.prefix)), h("td", {}, k.name ?? ""), h("td", {}, k.lastUsedAt ? fmtDateTime(k.lastUsedAt) : t("never")),
          h("td", {}, k.revokedAt ? t("revoked") : h("button", {
            type: "button", class: "danger", "aria-label": `${t("revoke")} ${k.prefix}`,
            onclick: async () => { await api(`${base}/${k.prefix}`, { method: "DELETE" }); await keys(); },
          }, t("revoke"))))))));
  }

  /** The national system: the account the hub files this establishment's guests with, how many stand where, and a
   *  day's guests in the portal's files for filing by hand. */
  async function kbtt(): Promise<void> {
    const base = `/api/v1/establishments/${establishment.id}/kbtt-link`;
    let link: KbttLink;
    try { link = await api<KbttLink>(base); }
    catch (err) { main.replaceChildren(h("h2", {}, t("kbttTab")), h("p", { class: "error", role: "alert" }, errorText(err))); return; }
    const message = h("p", { role: "status", id: "kbtt-message" });
    const username = h("input", { type: "text", maxLength: 100, autocomplete: "off", value: link.username ?? "" });
    const password = h("input", { type: "password", maxLength: 200, autocomplete: "new-password" });
    const counts = h("ul", { class: "plain", id: "kbtt-counts" }, ...["sent", "pending", "unknown", "rejected", "manual-required"].map((st) =>
      h("li", { "data-upstream": st }, `${upstreamText(st)}: ${link.guests[st] ?? 0}`)));
    const day = h("input", { type: "date", id: "kbtt-day", value: vietnamToday() });
    const exportLink = (format: string, label: string) => h("a", { class: "button secondary", href: "#", onclick: (e: Event) => {
      e.preventDefault();
      window.location.href = `/api/v1/establishments/${establishment.id}/kbtt-export?day=${day.value}&format=${format}`;
    } }, label);
    main.replaceChildren(...([h("h2", {}, t("kbttTab")),
      h("p", { id: "kbtt-state" }, !link.relayConfigured ? t("kbttRelayOff")
        : link.linked ? `${t("kbttLinked")}: ${link.username} · ${t("kbttCommune")} ${link.kbttCommuneCode ?? ""}` : t("kbttNotLinked")),
      link.lastError ? h("p", { class: "error", role: "alert" }, `${t("kbttLastError")}: ${link.lastError}`) : null,
      link.linked ? counts : null,
      link.relayConfigured ? h("form", { class: "stay-form", id: "kbtt-link", onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await api(base, { method: "PUT", json: { username: username.value.trim(), password: password.value } });
          await kbtt();
          document.getElementById("kbtt-message")!.textContent = t("saved");
        } catch (err) { message.textContent = errorText(err); }
      } },
        field("kbtt-username", t("kbttUsername"), username, "username"),
        field("kbtt-password", t("kbttPassword"), password, "password"),
        h("div", { class: "row" }, h("button", { type: "submit" }, link.linked ? t("kbttRelink") : t("kbttLink")),
          link.linked ? h("button", { type: "button", class: "danger", onclick: async () => {
            await api(base, { method: "DELETE" });
            await kbtt();
          } }, t("kbttUnlink")) : null)) : null,
      message,
      h("h3", {}, t("kbttExport")), h("p", { class: "muted" }, t("kbttExportHint")),
      h("div", { class: "row" }, h("label", { for: "kbtt-day" }, t("day")), day, exportLink("xlsx", t("kbttExportVn")), exportLink("xml", t("kbttExportForeign"))),
    ] as (HTMLElement | null)[]).filter((x): x is HTMLElement => x !== null));
  }

  select("notify");
  await notify();
}

interface KbttLink {
  linked: boolean; username: string | null; kbttCommuneCode: string | null; lastError: string | null; relayConfigured: boolean;
  guests: Record<string, number>;
}

/** The public household form (no account). */
export async function showHousehold(app: HTMLElement, header: (title: string) => HTMLElement): Promise<void> {
  const main = h("main", { id: "household" });
  app.replaceChildren(header(t("householdTitle")), main);
  document.title = `${t("householdTitle")} — CuTru.LuuTru`;
  const open = async () => {
    const form = await stayForm("household", "/api/v1/household-notifications/validate",
      (body, key) => postWithKey<Receipt>("/api/v1/household-notifications", body, key),
      (receipt, body) => {
        const phone = ((body.host as Record<string, unknown>)?.phone as string) ?? "";
        const stay = (body.stay ?? {}) as Record<string, string | null>;
        const guests = ((body.guests ?? []) as Record<string, unknown>[]).map((g) => String(g.fullName ?? ""));
        // The status page is opened with the number only: the phone never goes into a link.
        sessionStorage.setItem("luutru.lookupPhone", phone);
        main.replaceChildren(receiptView(receipt, [], [
          h("a", { class: "button secondary", href: `#/tra-cuu?so=${encodeURIComponent(receipt.receiptNumber)}` }, t("checkStatus")),
          h("button", { type: "button", class: "secondary", onclick: () => void open() }, t("notifyAnother")),
        ], { guests, stay: { arrivalAt: stay.arrivalAt ?? undefined, departureAt: stay.departureAt ?? undefined, place: stay.address ?? undefined } }));
      });
    main.replaceChildren(h("h2", { id: "form-title" }, t("householdTitle")), h("p", { class: "muted" }, t("householdIntro")), form.element,
      h("p", {}, h("a", { href: "#/tra-cuu" }, t("checkStatus"))));
  };
  await open();
}

interface ReceiptStatus { receiptNumber: string; status: string; communeName: string; arrivalAt: string; departureAt: string; guestCount: number; deadlineAt?: string; late: boolean }

/** A household finds its receipt's status with the receipt number and its phone. */
export function showStatus(app: HTMLElement, header: (title: string) => HTMLElement, params: URLSearchParams): void {
  const number = h("input", { id: "status-number", type: "text", autocomplete: "off", value: params.get("so") ?? "", required: true });
  const phone = h("input", { id: "status-phone", type: "tel", autocomplete: "tel", value: sessionStorage.getItem("luutru.lookupPhone") ?? "", required: true });
  const result = h("div", { id: "status-result", "aria-live": "polite" });
  const find = async () => {
    try {
      const s = await api<ReceiptStatus>("/api/v1/receipts/lookup", { method: "POST", json: { receiptNumber: number.value.trim(), phone: phone.value.trim() } });
      result.replaceChildren(h("dl", { class: "facts" },
        h("dt", {}, t("receiptNumber")), h("dd", {}, s.receiptNumber),
        h("dt", {}, t("statusOf")), h("dd", { "data-status": s.status }, statusText(s.status)),
        h("dt", {}, t("commune")), h("dd", {}, s.communeName),
        h("dt", {}, t("arrival")), h("dd", {}, fmtDateTime(s.arrivalAt)),
        h("dt", {}, t("plannedDeparture")), h("dd", {}, fmtDateTime(s.departureAt)),
        h("dt", {}, t("guests")), h("dd", {}, String(s.guestCount)),
        h("dt", {}, t("deadline")), h("dd", {}, s.deadlineAt ? `${fmtDateTime(s.deadlineAt)} · ${s.late ? t("lateNotice") : t("onTime")}` : "—")),
        ...(s.status === "recorded" ? [stayChanges(s)] : []));
    } catch (err) {
      result.replaceChildren(h("p", { class: "error", role: "alert" }, err instanceof ApiError && err.status === 404 ? t("notFound") : (err as Error).message));
    }
  };
  /** The household ends or extends the stay it notified, with the same number and phone; asked once more before ending. */
  const stayChanges = (s: ReceiptStatus): HTMLElement => {
    const until = h("input", { id: "extend-until", type: "datetime-local", value: vietnamLocal(Date.parse(s.departureAt) + 86_400_000) });
    const message = h("p", { role: "status", id: "stay-change-message" });
    const send = async (path: string, body: Record<string, unknown>) => {
      try {
        await api(`/api/v1/receipts/${path}`, { method: "POST", json: { receiptNumber: number.value.trim(), phone: phone.value.trim(), ...body } });
        await find();
      } catch (err) { message.textContent = errorText(err); }
    };
    const end = h("button", { type: "button", class: "danger", id: "end-stay", onclick: () => {
      const yes = h("button", { type: "button", class: "danger", onclick: () => void send("checkout", {}) }, t("confirmYes"));
      end.replaceWith(h("span", { class: "inline confirm" }, `${t("confirmEndStay")} `, yes, " ",
        h("button", { type: "button", class: "secondary", onclick: () => void find() }, t("confirmNo"))));
      yes.focus();
    } }, t("endStay"));
    return h("div", { class: "stay-changes" },
      h("div", { class: "row" }, h("label", { for: "extend-until" }, t("extendUntil")), until,
        h("button", { type: "button", class: "secondary", id: "extend-stay", onclick: () => void send("extend", { departureAt: `${until.value}:00` }) }, t("extend"))),
      h("div", { class: "row" }, end), message);
  };
  const form = h("form", { class: "card narrow", onsubmit: (e: Event) => { e.preventDefault(); void find(); } },
    h("h2", {}, t("statusTitle")),
    h("label", { for: "status-number" }, t("receiptNumber")), number,
    h("label", { for: "status-phone" }, t("hostPhone")), phone,
    h("button", { type: "submit" }, t("find")), result,
    h("p", {}, h("a", { href: "#/khai-bao" }, t("householdTitle"))));
  app.replaceChildren(header(t("statusTitle")), h("main", {}, form));
  if (number.value && phone.value) void find();
  document.documentElement.lang = currentLang();
}

const kinds = ["hotel", "guesthouse", "motel", "homestay", "hospital", "dormitory", "vessel", "other"] as const;
const kindKey = (k: string) => `kind${k[0].toUpperCase()}${k.slice(1)}` as Parameters<typeof t>[0];

/** An establishment applies online; it stays pending until the police of its commune approve it. */
/** The online application: the establishment and the account its applicant signs in with; signed in at once, the
 *  applicant lands on the application's state (pending until the police approve it). */
export async function showApply(app: HTMLElement, header: (title: string) => HTMLElement): Promise<void> {
  const form = await establishmentForm("/api/v1/establishment-applications", async (_, account) => {
    if (account) await api("/api/v1/auth/login", { method: "POST", json: account });
    location.hash = "#/";
  }, true);
  app.replaceChildren(header(t("applyTitle")), h("main", {}, h("h2", { id: "form-title" }, t("applyTitle")), h("p", { class: "muted" }, t("applyIntro")), form));
  document.title = `${t("applyTitle")} — CuTru.LuuTru`;
}

/** The establishment's details; posted to the public application or, by an officer, to the register (both start pending). */
async function establishmentForm(path: string, done: (created: { id: string; name: string; communeName: string }, account?: { email: string; password: string }) => void,
  withAccount = false): Promise<HTMLFormElement> {
  const email = h("input", { type: "email", maxLength: 254, autocomplete: "email" });
  const password = h("input", { type: "password", maxLength: 128, autocomplete: "new-password" });
  const picker = await communePicker();
  const name = h("input", { type: "text", maxLength: 200, autocomplete: "organization" });
  const kind = h("select", {}, h("option", { value: "" }, t("choose")), ...kinds.map((k) => h("option", { value: k }, t(kindKey(k)))));
  const address = h("input", { type: "text", maxLength: 300, autocomplete: "street-address" });
  const manager = h("input", { type: "text", maxLength: 100, autocomplete: "name" });
  const phone = h("input", { type: "tel", maxLength: 20, autocomplete: "tel" });
  const brn = h("input", { type: "text", maxLength: 30 });
  const general = h("p", { class: "error", role: "alert", id: "form-error" });
  const form = h("form", {
    class: "card stay-form", novalidate: true, "aria-labelledby": "form-title",
    onsubmit: async (e: Event) => {
      e.preventDefault();
      form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((p) => { p.textContent = ""; });
      form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
      general.textContent = "";
      try {
        const created = await api<{ id: string; name: string; communeName: string }>(path, {
          method: "POST", json: {
            name: name.value.trim(), kind: kind.value || null, communeCode: picker.commune.value, address: address.value.trim(),
            managerName: manager.value.trim(), phone: phone.value.trim(), businessRegistrationNumber: brn.value.trim() || null,
            ...(withAccount ? { email: email.value.trim(), password: password.value } : {}),
          },
        });
        done(created, withAccount ? { email: email.value.trim(), password: password.value } : undefined);
      } catch (err) {
        if (err instanceof ApiError && err.errors) {
          for (const [path, list] of Object.entries(err.errors)) {
            const p = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(path)}"]`);
            if (p) { p.textContent = list.map((x) => x.message).join(" "); form.querySelector(`[data-path="${CSS.escape(path)}"]`)?.setAttribute("aria-invalid", "true"); }
          }
          general.textContent = t("fixErrors");
          form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
        } else general.textContent = (err as Error).message;
      }
    },
  },
    h("fieldset", {}, h("legend", {}, t("establishment")),
      field("est-name", t("establishmentName"), name, "name"), field("est-kind", t("kind"), kind, "kind"),
      field("est-manager", t("managerName"), manager, "managerName"), field("est-phone", t("hostPhone"), phone, "phone"),
      field("est-brn", t("brn"), brn, "businessRegistrationNumber")),
    h("fieldset", {}, h("legend", {}, t("placeOfStay")), ...picker.fields("communeCode"), field("est-address", t("address"), address, "address")),
    withAccount ? h("fieldset", {}, h("legend", {}, t("account")), field("est-email", t("email"), email, "email"),
      field("est-password", t("newPasswordHint"), password, "password")) : null,
    general, h("div", { class: "row" }, h("button", { type: "submit" }, t("sendApplication"))));
  return form;
}

interface PendingEstablishment { id: string; name: string; kind: string; address: string; managerName: string; phone: string; createdAt: string }

/** The officer's list of establishments of the commune waiting for approval. */
export async function pendingPanel(commune: string, panel: HTMLElement): Promise<void> {
  const page = await api<Page<PendingEstablishment>>(`/api/v1/establishments?communeCode=${commune}&status=pending&limit=100`);
  const register = h("button", {
    type: "button", class: "secondary", id: "register-establishment", onclick: async () => {
      const form = await establishmentForm("/api/v1/establishments", () => void pendingPanel(commune, panel));
      register.replaceWith(form);
    },
  }, t("registerEstablishment"));
  panel.replaceChildren(h("h2", {}, t("pendingTitle")), register, page.items.length === 0 ? h("p", { class: "muted" }, t("noPending")) :
    h("ul", { class: "plain", id: "pending" }, ...page.items.map((e) => h("li", { "data-establishment": e.id },
      h("strong", {}, e.name), ` · ${t(kindKey(e.kind))} · ${e.address} · ${e.managerName} · ${e.phone} · ${fmtDateTime(e.createdAt)} `,
      h("button", {
        type: "button", "aria-label": `${t("approve")}: ${e.name}`,
        onclick: async () => { await api(`/api/v1/establishments/${e.id}/approve`, { method: "POST" }); await pendingPanel(commune, panel); },
      }, t("approve")), " ",
      h("button", {
        type: "button", class: "secondary", "aria-label": `${t("reject")}: ${e.name}`,
        onclick: (ev: Event) => {
          // A reason is asked for and shown to the applicant.
          const reason = h("input", { type: "text", maxLength: 500, id: `reject-${e.id}`, required: true });
          const error = h("span", { class: "error", role: "alert" });
          (ev.target as HTMLElement).replaceWith(h("form", { class: "row", onsubmit: async (s2: Event) => {
            s2.preventDefault();
            try { await api(`/api/v1/establishments/${e.id}/reject`, { method: "POST", json: { reason: reason.value } }); await pendingPanel(commune, panel); }
            catch (err) { error.textContent = errorText(err); }
          } }, h("label", { for: `reject-${e.id}` }, t("rejectReason")), reason, h("button", { type: "submit" }, t("reject")), error));
          reason.focus();
        },
      }, t("reject"))))));
}

/** The public check of a receipt (its QR code leads here): that it exists, where and when it was received, its status;
 *  nothing of anyone. */
export async function showVerify(app: HTMLElement, header: (title: string) => HTMLElement, params: URLSearchParams): Promise<void> {
  const number = h("input", { id: "verify-number", type: "text", value: params.get("so") ?? "", required: true, maxLength: 30 });
  const code = h("input", { id: "verify-code", type: "text", value: params.get("ma") ?? "", required: true, maxLength: 8 });
  const result = h("div", { id: "verify-result", role: "status", "aria-live": "polite" });
  const check = async () => {
    result.replaceChildren();
    try {
      const v = await api<{ receiptNumber: string; communeName: string; receivedOn: string; status: string }>(
        `/api/v1/receipts/verify?number=${encodeURIComponent(number.value.trim())}&code=${encodeURIComponent(code.value.trim())}`);
      result.replaceChildren(h("section", { class: "card ok", "data-valid": "true" }, h("h2", {}, "✔ ", t("verifyValid")),
        h("dl", { class: "facts" },
          h("dt", {}, t("receiptNumber")), h("dd", {}, v.receiptNumber),
          h("dt", {}, t("commune")), h("dd", {}, v.communeName),
          h("dt", {}, t("receivedOn")), h("dd", {}, fmtDate(v.receivedOn)),
          h("dt", {}, t("statusOf")), h("dd", {}, statusText(v.status))),
        h("p", { class: "muted" }, t("verifyNote"))));
    } catch (err) {
      result.replaceChildren(h("p", { class: "error", "data-valid": "false" }, err instanceof ApiError && err.status === 404 ? t("verifyInvalid") : errorText(err)));
    }
  };
  app.replaceChildren(header(t("verifyTitle")), h("main", {},
    h("form", { class: "card row", onsubmit: (e: Event) => { e.preventDefault(); void check(); } },
      h("label", { for: "verify-number" }, t("receiptNumber")), number, h("label", { for: "verify-code" }, t("verifyCode")), code,
      h("button", { type: "submit" }, t("verifyTitle"))),
    result));
  document.title = `${t("verifyTitle")} — CuTru.LuuTru`;
  if (number.value && code.value) await check();
}
