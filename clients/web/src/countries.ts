import { api } from "./api";
import { currentLang } from "./i18n";
import { fold, h } from "./ui";

/** Nationalities as the server takes them (GET /api/v1/nationalities): a code and its Vietnamese and English names. */
export interface Nationality { code: string; nameVi: string; nameEn: string }

let list: Nationality[] = [];
const byCode = new Map<string, Nationality>();

/** An international port of entry (GET /api/v1/entry-ports); the server stores a port given by any name as nameVi. */
export interface EntryPort { nameVi: string; nameEn: string; kind: string; provinceCode: string }

let ports: EntryPort[] = [];
const portByName = new Map<string, EntryPort>();

/** Loads the nationalities and ports once per page; what fails to load leaves codes shown as codes and ports typed freely. */
export async function loadCountries(): Promise<void> {
  if (list.length > 0) return;
  const [nationalities, entryPorts] = await Promise.allSettled([
    api<Nationality[]>("/api/v1/nationalities"), api<EntryPort[]>("/api/v1/entry-ports")]);
  if (nationalities.status === "fulfilled") {
    list = nationalities.value;
    for (const c of list) byCode.set(c.code, c);
  }
  if (entryPorts.status === "fulfilled") {
    ports = entryPorts.value;
    for (const p of ports) portByName.set(p.nameVi, p);
  }
}

export const entryPorts = (): EntryPort[] => ports;

/** A stored port in the page's language (the English name of a listed port); as stored otherwise. */
export function portText(name: string | null | undefined): string {
  if (!name) return "";
  const p = portByName.get(name);
  return p && currentLang() === "en" ? p.nameEn : name;
}

export const countries = (): Nationality[] => list;

/** A nationality's name in the page's language ("Hàn Quốc" / "Korea"); the code when it is not in the list. */
export function countryText(code: string | null | undefined): string {
  if (!code) return "";
  const c = byCode.get(code);
  return c ? (currentLang() === "vi" ? c.nameVi : c.nameEn) : code;
}

const key = (s: string): string => fold(s).replace(/\s+/g, " ");

/** The code of a nationality typed as a code or by either name ("Hàn Quốc" → KOR, "kor" → KOR); null when not in the
 *  list (the server, which also knows the common short names, decides then). */
export function countryCodeOf(text: string): string | null {
  const wanted = text.trim();
  if (!wanted) return null;
  const upper = wanted.toUpperCase();
  if (byCode.has(upper)) return upper;
  const wantedKey = key(wanted);
  return list.find((c) => key(c.nameVi) === wantedKey || key(c.nameEn) === wantedKey)?.code ?? null;
}

/** The ports as choices for an input's list: in English the English name is shown beside the name that is sent. */
export function portList(id: string): HTMLElement {
  return h("datalist", { id }, ...ports.map((p) => h("option", { value: p.nameVi }, currentLang() === "vi" ? "" : p.nameEn)));
}
