import QRCode from "qrcode";
import { countries, countryCodeOf, countryText, portList } from "./countries";
/**
 * The stay form shared by establishment staff, households and officers: the stay, one or more guests, and for
 * households the host and the address. Errors come from the server's own validate endpoint (the same rules and
 * the same messages as the real call), shown beside each field as the user types, once the field was touched.
 */
import { api, ApiError } from "./api";
import { currentLang, fmtDateTime, t, type TextKey } from "./i18n";
import { fold, h, newKey, vietnamNow } from "./ui";

export type FormMode = "establishment" | "household" | "officer";
export interface Reason { code: string; name: string; nameEn: string; detailRequired: boolean }
export interface Province { code: string; name: string }
export interface CommuneItem { code: string; name: string }
export interface Receipt {
  id: string; receiptNumber: string; status: string; deadlineAt: string; late: boolean; flags: { code: string; message: string; guestIndex: number | null }[];
  receivedAt?: string | null; verifyCode?: string | null;
}

export const documentTypes: [string, TextKey][] = [
  ["personal-id", "docPersonalId"], ["passport", "docPassport"], ["cmnd", "docCmnd"], ["other", "docOther"], ["none", "docNone"],
];
/** Common nationalities first; any ISO 3166-1 alpha-3 code may be typed. */

let reasonsCache: Reason[] | null = null;
export async function reasons(): Promise<Reason[]> {
  reasonsCache ??= await api<Reason[]>("/api/v1/reasons");
  return reasonsCache;
}

/** A labelled field with its error line; the input carries data-path (the server's JSON path) and aria-describedby. */
export function field(id: string, label: string, input: HTMLInputElement | HTMLSelectElement, path: string, extraClass = ""): HTMLElement {
  input.id = id;
  input.dataset.path = path;
  input.setAttribute("aria-describedby", `${id}-error`);
  return h("div", { class: `field ${extraClass}`.trim() }, h("label", { for: id }, label), input,
    h("p", { class: "error", id: `${id}-error`, "data-error-for": path }));
}

interface GuestRefs {
  box: HTMLFieldSetElement; legend: HTMLLegendElement; name: HTMLInputElement; dob: HTMLInputElement; gender: HTMLSelectElement;
  docType: HTMLSelectElement; docNumber: HTMLInputElement; nationality: HTMLInputElement; visa: HTMLInputElement; visaExempt: HTMLInputElement;
  visaUntil: HTMLInputElement;
  entryDate: HTMLInputElement; entryPort: HTMLInputElement; numberBox: HTMLElement; nationalityBox: HTMLElement; foreignBox: HTMLElement;
  remove: HTMLButtonElement;
}

export interface StayForm {
  element: HTMLFormElement;
  /** The request body as the API takes it. */
  body(): Record<string, unknown>;
}

/**
 * Builds the form. <paramref name="submit"/> sends the body with the idempotency key and answers the receipt;
 * the form shows the server's field errors when it answers 400 and never sends while errors are shown.
 */
export async function stayForm(mode: FormMode, validatePath: string, submit: (body: Record<string, unknown>, key: string) => Promise<Receipt>,
  done: (receipt: Receipt, body: Record<string, unknown>) => void, establishments: { id: string; name: string }[] = []): Promise<StayForm> {
  const reasonList = await reasons();
  const touched = new Set<string>();
  let showAll = false;
  let key = newKey();
  let seq = 0;
  const guests: GuestRefs[] = [];

  // The stay.
  const arrival = h("input", { type: "datetime-local", value: vietnamNow(), required: true });
  const departure = h("input", { type: "datetime-local", value: vietnamNow(24), required: true });
  const reason = h("select", { required: true }, h("option", { value: "" }, t("choose")),
    ...reasonList.map((r) => h("option", { value: r.code }, currentLang() === "vi" ? r.name : r.nameEn)));
  const reasonDetail = h("input", { type: "text", maxLength: 200 });
  const reasonDetailBox = field("stay-reason-detail", t("reasonDetail"), reasonDetail, "stay.reasonDetail");
  reasonDetailBox.hidden = true;
  reason.addEventListener("change", () => { reasonDetailBox.hidden = !reasonList.find((r) => r.code === reason.value)?.detailRequired; });
  const room = h("input", { type: "text", maxLength: 20, autocomplete: "off" });

  // Households: the host, the commune and the address.
  const hostName = h("input", { type: "text", autocomplete: "name", maxLength: 100 });
  const hostPhone = h("input", { type: "tel", autocomplete: "tel", inputMode: "tel", maxLength: 20 });
  const hostDocType = h("select", {}, ...documentTypes.filter(([v]) => v !== "none").map(([v, k]) => h("option", { value: v }, t(k))));
  const hostDocNumber = h("input", { type: "text", autocomplete: "off", maxLength: 30 });
  const byGuest = h("input", { type: "checkbox", id: "host-away" });
  const picker = mode === "household" ? await communePicker() : null;
  // Officers: how it came in, and for whom (an establishment of the commune, or a household: then the host and the address).
  const receivedBy = h("select", {}, h("option", { value: "phone" }, t("byPhone")), h("option", { value: "in-person" }, t("inPerson")),
    h("option", { value: "email" }, t("byEmail")), h("option", { value: "other" }, t("otherWay")));
  // When the call, visit or email came in: lateness is judged against it, not against when it is typed.
  const receivedAt = h("input", { type: "datetime-local", value: vietnamNow(), required: true });
  // A call that came in earlier was about a stay that had begun by then: the arrival follows until it is set by hand.
  receivedAt.addEventListener("input", () => { if (!touched.has("stay.arrivalAt")) arrival.value = receivedAt.value; });
  const forWhom = h("select", {}, h("option", { value: "" }, t("household")), ...establishments.map((e) => h("option", { value: e.id }, e.name)));
  const address = h("input", { type: "text", autocomplete: "street-address", maxLength: 300 });

  const guestList = h("div", { class: "guests" });
  const addButton = h("button", { type: "button", class: "secondary", onclick: () => { addGuest(); guests[guests.length - 1].name.focus(); } }, t("addGuest"));
  const general = h("p", { class: "error", role: "alert", id: "form-error" });
  const sendButton = h("button", { type: "submit" }, t("send"));

  function addGuest(): void {
    const n = seq++;
    const name = h("input", { type: "text", autocomplete: "off", maxLength: 100, required: true });
    const dob = h("input", { type: "date", required: true });
    // Optional (not in the law's list): left empty, it is read from the personal ID number.
    const gender = h("select", {}, h("option", { value: "" }, t("genderFromId")), h("option", { value: "male" }, t("male")),
      h("option", { value: "female" }, t("female")));
    const docType = h("select", {}, ...documentTypes.map(([v, k]) => h("option", { value: v }, t(k))));
    const docNumber = h("input", { type: "text", autocomplete: "off", maxLength: 30, inputMode: "text" });
    // Chosen by name (Vietnamese or English, codes too); the list is the server's.
    const nationality = h("input", { type: "text", value: countryText("VNM") || "VNM", maxLength: 80, autocomplete: "off", list: "nationalities" });
    const visa = h("input", { type: "text", maxLength: 50 });
    const visaUntil = h("input", { type: "date" });
    const entryDate = h("input", { type: "date" });
    // Chosen from the international ports by name (any port may still be typed).
    const entryPort = h("input", { type: "text", maxLength: 100, autocomplete: "off", list: "entry-ports" });
    const visaExempt = h("input", { type: "checkbox", id: `g${n}-visa-exempt` });
    const legend = h("legend", {});
    const remove = h("button", { type: "button", class: "link", onclick: () => { guests.splice(guests.indexOf(refs), 1); box.remove(); renumber(); schedule(); } },
      t("removeGuest"));
    const id = (s: string) => `g${n}-${s}`;
    const numberBox = field(id("doc-number"), t("documentNumber"), docNumber, "");
    const nationalityBox = field(id("nationality"), t("nationality"), nationality, "");
    const foreignBox = h("div", { class: "foreign" },
      h("div", { class: "field check" }, visaExempt, h("label", { for: id("visa-exempt") }, t("visaExempt"))),
      field(id("visa"), t("visa"), visa, ""), field(id("visa-until"), t("visaValidUntil"), visaUntil, ""),
      field(id("entry-date"), t("entryDate"), entryDate, ""), field(id("entry-port"), t("entryPort"), entryPort, ""));
    const box = h("fieldset", { class: "guest" }, legend,
      field(id("name"), t("fullName"), name, ""), field(id("dob"), t("dateOfBirth"), dob, ""), field(id("gender"), t("gender"), gender, ""),
      field(id("doc-type"), t("documentType"), docType, ""), numberBox, nationalityBox, foreignBox, remove);
    const refs: GuestRefs = { box, legend, name, dob, gender, docType, docNumber, nationality, visa, visaExempt, visaUntil, entryDate, entryPort, numberBox, nationalityBox, foreignBox, remove };
    // The document type switches the fields: no number for a child without one; passports ask the nationality, foreigners the visa.
    const sync = () => {
      if (docType.value === "personal-id" || docType.value === "cmnd") nationality.value = countryText("VNM") || "VNM";
      numberBox.hidden = docType.value === "none";
      nationalityBox.hidden = !(docType.value === "passport" || docType.value === "other");
      foreignBox.hidden = (countryCodeOf(nationality.value) ?? "") === "VNM" || nationality.value.trim() === "";
    };
    docType.addEventListener("change", sync);
    nationality.addEventListener("input", sync);
    sync();
    guests.push(refs);
    guestList.append(box);
    renumber();
  }

  /** Guest numbers and the JSON paths follow the order on screen. */
  function renumber(): void {
    guests.forEach((g, i) => {
      g.legend.textContent = `${t("guest")} ${i + 1}`;
      const set = (el: HTMLElement, path: string) => {
        el.dataset.path = `guests[${i}].${path}`;
        el.parentElement?.querySelector("[data-error-for]")?.setAttribute("data-error-for", `guests[${i}].${path}`);
      };
      set(g.name, "fullName"); set(g.dob, "dateOfBirth"); set(g.gender, "gender"); set(g.docType, "document.type"); set(g.docNumber, "document.number");
      set(g.nationality, "nationality"); set(g.visa, "foreign.visaOrResidenceDocument"); set(g.visaUntil, "foreign.validUntil");
      set(g.entryDate, "foreign.entryDate"); set(g.entryPort, "foreign.entryPort");
      g.remove.hidden = guests.length === 1;
    });
  }

  const time = (v: string) => (v ? `${v}:00` : null);
  function body(): Record<string, unknown> {
    const stay: Record<string, unknown> = { arrivalAt: time(arrival.value), departureAt: time(departure.value), reason: reason.value || null };
    if (!reasonDetailBox.hidden && reasonDetail.value.trim()) stay.reasonDetail = reasonDetail.value.trim();
    if (mode === "establishment" && room.value.trim()) stay.room = room.value.trim();
    if (picker) { stay.communeCode = picker.commune.value || null; stay.address = address.value.trim() || null; }
    if (mode === "officer" && !forWhom.value) stay.address = address.value.trim() || null;
    const list = guests.map((g) => {
      const nat = countryCodeOf(g.nationality.value) ?? (g.nationality.value.trim() || "VNM"); // a name the list lacks: the server judges it
      const guest: Record<string, unknown> = {
        fullName: g.name.value.trim() || null, dateOfBirth: g.dob.value || null, gender: g.gender.value || null,
        document: g.docType.value === "none" ? { type: "none" } : { type: g.docType.value, number: g.docNumber.value.trim() || null },
        nationality: nat,
      };
      if (nat !== "VNM") {
        guest.foreign = {
          visaOrResidenceDocument: g.visaExempt.checked ? null : g.visa.value.trim() || null, validUntil: g.visaUntil.value || null,
          entryDate: g.entryDate.value || null, entryPort: g.entryPort.value.trim() || null, visaExempt: g.visaExempt.checked || null,
        };
      }
      return guest;
    });
    const result: Record<string, unknown> = { stay, guests: list };
    if (mode === "officer") {
      result.receivedBy = receivedBy.value;
      result.receivedAt = time(receivedAt.value);
      if (forWhom.value) result.establishmentId = forWhom.value;
    }
    if (mode === "household" || (mode === "officer" && !forWhom.value)) {
      result.host = { fullName: hostName.value.trim() || null, phone: hostPhone.value.trim() || null, document: { type: hostDocType.value, number: hostDocNumber.value.trim() || null } };
      result.notifiedByGuest = byGuest.checked;
    }
    return result;
  }

  /** Shows the server's errors on the fields touched so far (all of them after a send attempt). */
  function showErrors(errors: Record<string, { code: string; message: string }[]>): number {
    let shown = 0;
    const known = new Set<string>();
    form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((p) => {
      const path = p.dataset.errorFor ?? "";
      known.add(path);
      const list = errors[path] ?? [];
      const input = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
      const visible = list.length > 0 && (showAll || touched.has(path)) && !input?.closest("[hidden]");
      p.textContent = visible ? list.map((e) => e.message).join(" ") : "";
      if (visible) { input?.setAttribute("aria-invalid", "true"); shown++; } else input?.removeAttribute("aria-invalid");
    });
    const others = Object.entries(errors).filter(([path]) => !known.has(path) && !path.startsWith("headers"));
    general.textContent = showAll && others.length ? others.map(([, l]) => l.map((e) => e.message).join(" ")).join(" ") : (showAll && shown ? t("fixErrors") : "");
    return shown + (showAll ? others.length : 0);
  }

  let timer = 0;
  let latest = 0;
  /** Judged by the server, a moment after the typing stops. */
  async function check(): Promise<number> {
    const mine = ++latest;
    try {
      await api(validatePath, { method: "POST", json: body() });
      if (mine === latest) showErrors({});
      return 0;
    } catch (err) {
      if (mine !== latest) return 0;
      if (err instanceof ApiError && err.status === 400 && err.errors) return showErrors(err.errors);
      general.textContent = (err as Error).message;
      return 1;
    }
  }
  function schedule(): void {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void check(), 350);
  }

  const form = h("form", {
    class: "card stay-form", novalidate: true, "aria-labelledby": "form-title",
    oninput: (e: Event) => { const p = (e.target as HTMLElement).dataset.path; if (p) touched.add(p); schedule(); },
    onchange: (e: Event) => { const p = (e.target as HTMLElement).dataset.path; if (p) touched.add(p); schedule(); },
    onsubmit: async (e: Event) => {
      e.preventDefault();
      showAll = true;
      window.clearTimeout(timer);
      sendButton.disabled = true;
      sendButton.textContent = t("sending");
      try {
        if ((await check()) > 0) {
          form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
          return; // nothing is sent while errors are shown
        }
        const sent = body();
        const receipt = await submit(sent, key);
        key = newKey();
        done(receipt, sent);
      } catch (err) {
        if (err instanceof ApiError && err.status === 400 && err.errors) showErrors(err.errors);
        else general.textContent = (err as Error).message; // the same key is used again on the next try: never filed twice
      } finally {
        sendButton.disabled = false;
        sendButton.textContent = t("send");
      }
    },
  },
    h("datalist", { id: "nationalities" }, ...countries().map((c) => h("option", { value: currentLang() === "vi" ? c.nameVi : c.nameEn }, c.code))),
    portList("entry-ports"),
    mode === "officer" ? h("fieldset", {}, h("legend", {}, t("officerEntry")),
      field("received-by", t("receivedBy"), receivedBy, "receivedBy"),
      field("received-at", t("receivedAtWhen"), receivedAt, "receivedAt"),
      field("for-whom", t("forWhom"), forWhom, "establishmentId")) : null,
    mode !== "establishment" ? h("fieldset", { class: "host-box" }, h("legend", {}, t("host")),
      field("host-name", t("fullName"), hostName, "host.fullName"),
      field("host-phone", t("hostPhone"), hostPhone, "host.phone"),
      field("host-doc-type", t("documentType"), hostDocType, "host.document.type"),
      field("host-doc-number", t("hostDocument"), hostDocNumber, "host.document.number"),
      h("div", { class: "field check" }, byGuest, h("label", { for: "host-away" }, t("guestNotifies")))) : null,
    mode !== "establishment" ? h("fieldset", { class: "host-box" }, h("legend", {}, t("placeOfStay")),
      ...(picker ? picker.fields("stay.communeCode") : []),
      field("address", t("address"), address, "stay.address")) : null,
    h("fieldset", {}, h("legend", {}, t("stay")),
      field("stay-arrival", t("arrival"), arrival, "stay.arrivalAt"),
      field("stay-departure", t("plannedDeparture"), departure, "stay.departureAt"),
      field("stay-reason", t("reason"), reason, "stay.reason"),
      reasonDetailBox,
      mode === "establishment" ? field("stay-room", t("room"), room, "stay.room") : null),
    guestList,
    h("div", { class: "row" }, addButton),
    general,
    h("div", { class: "row" }, sendButton));
  addGuest();
  // An entry for an establishment takes its address: no host, no address to type.
  forWhom.addEventListener("change", () => form.querySelectorAll<HTMLElement>(".host-box").forEach((b) => { b.hidden = !!forWhom.value; }));
  return { element: form, body };
}

/** Province, then the commune, found by typing its name without diacritics. */
/** Province, then commune by name (old names too). <c>idPrefix</c> keeps the ids apart when a page has two; a
 *  <c>province</c> given is chosen and fixed (a supervisor works in theirs). */
export async function communePicker(opts: { idPrefix?: string; province?: string | null } = {}):
  Promise<{ commune: HTMLSelectElement; fields: (path: string) => HTMLElement[] }> {
  const id = (s: string) => `${opts.idPrefix ?? ""}${s}`;
  const province = h("select", {}, h("option", { value: "" }, t("choose")));
  const communeFind = h("input", { type: "search", autocomplete: "off" });
  const commune = h("select", {}, h("option", { value: "" }, t("choose")));
  let communes: CommuneItem[] = [];
  let asked = 0;
  const fill = () => {
    const q = fold(communeFind.value);
    const shown: { code: string; name: string; formerly?: string | null }[] = communes.filter((c) => !q || fold(c.name).includes(q) || c.code.startsWith(q));
    const render = () => {
      commune.replaceChildren(h("option", { value: "" }, `${t("choose")} (${shown.length})`),
        ...shown.map((c) => h("option", { value: c.code }, c.formerly ? `${c.name} — ${t("formerly")} ${c.formerly}` : c.name)));
      if (shown.length === 1) commune.value = shown[0].code;
      commune.dispatchEvent(new Event("change", { bubbles: true }));
    };
    render();
    // Old names too (before 2025-07-01): "hang trong" offers the ward(s) Hàng Trống became part of.
    if (q.length >= 3 && province.value) {
      const mine = ++asked;
      void api<{ code: string; name: string; formerly: string | null }[]>(
        `/api/v1/communes?provinceCode=${province.value}&limit=20&q=${encodeURIComponent(communeFind.value)}`).then((found) => {
        if (mine !== asked) return;
        const extra = found.filter((c) => c.formerly && !shown.some((x) => x.code === c.code));
        if (extra.length === 0) return;
        shown.push(...extra);
        render();
      }).catch(() => undefined);
    }
  };
  communeFind.addEventListener("input", fill);
  province.addEventListener("change", async () => {
    communes = province.value ? await api<CommuneItem[]>(`/api/v1/provinces/${province.value}/communes`) : [];
    fill();
  });
  const provinces = await api<Province[]>("/api/v1/provinces");
  province.append(...provinces.map((p) => h("option", { value: p.code }, p.name)));
  if (opts.province) {
    province.value = opts.province;
    province.disabled = true;
    communes = await api<CommuneItem[]>(`/api/v1/provinces/${opts.province}/communes`);
    fill();
  }
  return {
    commune,
    fields: (path) => [
      field(id("province"), t("province"), province, "province"),
      field(id("commune-find"), t("communeFind"), communeFind, "communeFind"),
      field(id("commune"), t("commune"), commune, path),
    ],
  };
}

/** The receipt as kept: number, where, who (document numbers masked), room, stay, the server's reception time,
 *  deadline, on time or late, flags, and a QR code of the public verification link; printable, and as a PDF for those
 *  signed in. Focus moves to it so a screen reader announces it. */
export function receiptView(receipt: Receipt, extra: HTMLElement[], actions: HTMLElement[],
  opts: { signedIn?: boolean; guests?: string[]; stay?: { arrivalAt?: string; departureAt?: string; room?: string | null; place?: string } } = {}): HTMLElement {
  const verifyUrl = receipt.verifyCode
    ? `${location.origin}/#/xac-minh?so=${encodeURIComponent(receipt.receiptNumber)}&ma=${encodeURIComponent(receipt.verifyCode)}` : null;
  const details = h("dl", { class: "facts", id: "receipt-facts" },
    h("dt", {}, t("acceptedAt")), h("dd", { id: "receipt-received" }, fmtDateTime(receipt.receivedAt ?? null)),
    h("dt", {}, t("deadline")), h("dd", {}, fmtDateTime(receipt.deadlineAt)),
    h("dt", {}, t("statusOf")), h("dd", { class: receipt.late ? "late" : "ok", "data-late": String(receipt.late) }, receipt.late ? t("lateNotice") : t("onTime")),
    ...stayFacts(opts.stay, opts.guests?.map((g) => ({ fullName: g, documentMasked: null, nationality: "" }))),
    ...extra);
  const qr = h("figure", { class: "qr", id: "receipt-qr" });
  if (verifyUrl) {
    void QRCode.toString(verifyUrl, { type: "svg", margin: 1, width: 132 }).then((svg) => {
      const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      qr.replaceChildren(doc.documentElement, h("figcaption", {}, h("a", { href: verifyUrl, id: "receipt-verify" }, t("verifyHint")), h("br"),
        h("code", {}, receipt.verifyCode ?? "")));
    });
  }
  const section = h("section", { class: "card receipt", "aria-labelledby": "receipt-title" },
    h("h2", { id: "receipt-title", tabindex: -1 }, t("receiptTitle")),
    h("p", { class: "receipt-number", "data-receipt": receipt.receiptNumber }, receipt.receiptNumber),
    h("div", { class: "receipt-body" }, details, qr),
    receipt.flags.length ? h("ul", { class: "flags" }, ...receipt.flags.map((f) => h("li", { "data-flag": f.code }, f.message))) : null,
    h("div", { class: "row no-print" }, h("button", { type: "button", onclick: () => window.print() }, t("print")),
      opts.signedIn ? h("a", { class: "button secondary", href: `/api/v1/receipts/${encodeURIComponent(receipt.receiptNumber)}/pdf`, id: "receipt-pdf" }, t("downloadPdf")) : null,
      ...actions));
  if (opts.signedIn) {
    // The receipt as kept: where, who, room and stay, from the server (a notification just sent may still be buffered).
    // Until it is stored the server answers 404: asked again, less and less often, for about half a minute.
    const load = async (): Promise<ReceiptView> => {
      for (let attempt = 0; ; attempt++) {
        try { return await api<ReceiptView>(`/api/v1/receipts/${encodeURIComponent(receipt.receiptNumber)}`); }
        catch (err) {
          if (!(err instanceof ApiError && err.status === 404) || attempt >= 10) throw err;
          await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 4000)));
        }
      }
    };
    void load().then((v) => {
      details.replaceChildren(
        h("dt", {}, t("acceptedAt")), h("dd", { id: "receipt-received" }, fmtDateTime(v.receivedAt)),
        h("dt", {}, t("deadline")), h("dd", {}, fmtDateTime(v.deadlineAt)),
        h("dt", {}, t("statusOf")), h("dd", { class: v.late ? "late" : "ok", "data-late": String(v.late) }, v.late ? t("lateNotice") : t("onTime")),
        ...stayFacts({ arrivalAt: v.arrivalAt, departureAt: v.departureAt, room: v.room, place: v.placeName === v.address ? v.address : `${v.placeName} · ${v.address}` }, v.guests),
        ...extra);
    }).catch(() => undefined);
  }
  setTimeout(() => section.querySelector<HTMLElement>("#receipt-title")?.focus(), 0);
  return section;
}

interface ReceiptView {
  receiptNumber: string; status: string; placeName: string; address: string; communeName: string; room: string | null; arrivalAt: string;
  departureAt: string; receivedAt: string; deadlineAt: string | null; late: boolean; guests: { fullName: string; nationality: string; documentMasked: string | null }[];
  verifyCode: string; verifyUrl: string;
}

function stayFacts(stay: { arrivalAt?: string; departureAt?: string; room?: string | null; place?: string } | undefined,
  guests: { fullName: string; documentMasked: string | null; nationality: string }[] | undefined): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (stay?.place) out.push(h("dt", {}, t("placeOfStay")), h("dd", { id: "receipt-place" }, stay.place));
  if (stay?.room) out.push(h("dt", {}, t("room")), h("dd", {}, stay.room));
  if (stay?.arrivalAt) out.push(h("dt", {}, t("arrival")), h("dd", {}, fmtDateTime(stay.arrivalAt)));
  if (stay?.departureAt) out.push(h("dt", {}, t("departure")), h("dd", {}, fmtDateTime(stay.departureAt)));
  if (guests?.length) out.push(h("dt", {}, t("guestList")), h("dd", { id: "receipt-guests" }, ...guests.map((g) =>
    h("div", {}, g.fullName, g.documentMasked || g.nationality ? h("small", { class: "muted" }, " ", [g.documentMasked, countryText(g.nationality)].filter(Boolean).join(" · ")) : null))));
  return out;
}
