/** Small DOM helpers shared by every page. */
export type Child = Node | string | null | undefined | false;

/** A small element builder: h("button", { onclick }, "text"). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "class") el.className = String(v);
    else if (k in el && typeof v !== "string") (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Folds Vietnamese for matching: lower case, no diacritics, đ → d ("Hoàn Kiếm" → "hoan kiem"). */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().trim();
}

/** Now in Vietnam as a datetime-local value (yyyy-mm-ddThh:mm). */
export function vietnamNow(addHours = 0): string {
  return vietnamLocal(Date.now() + addHours * 3_600_000);
}

/** A moment (milliseconds) in Vietnam as a datetime-local value (yyyy-mm-ddThh:mm). */
export function vietnamLocal(ms: number): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(ms));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A new idempotency key: the same one is resent on a retry so nothing is filed twice. */
export const newKey = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
