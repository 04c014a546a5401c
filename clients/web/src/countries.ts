import { api } from "./api";
import { currentLang } from "./i18n";
import { fold } from "./ui";

/** Nationalities as the server takes them (GET /api/v1/nationalities): a code and its Vietnamese and English names. */
export interface Nationality { code: string; nameVi: string; nameEn: string }

let list: Nationality[] = [];
const byCode = new Map<string, Nationality>();

/** Loads the list once per page; what fails to load leaves codes shown as codes. */
export async function loadCountries(): Promise<void> {
  if (list.length > 0) return;
  try {
    list = await api<Nationality[]>("/api/v1/nationalities");
    for (const c of list) byCode.set(c.code, c);
  } catch { /* the codes stay readable */ }
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
