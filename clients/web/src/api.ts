import { t } from "./i18n";
/** The server's JSON API, signed in with the HttpOnly session cookie (same origin). Errors are RFC 9457 problems. */
export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public errors?: Record<string, { code: string; message: string }[]>) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json");
  headers.set("Accept-Language", localStorage.getItem("luutru.lang") === "en" ? "en" : "vi");
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, body, credentials: "same-origin" });
  } catch {
    // No answer at all (offline, the server down): said in the page's language, never "Failed to fetch".
    throw new ApiError(0, "network", t("networkError"));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: { code?: string; title?: string; errors?: Record<string, { code: string; message: string }[]> } | undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // A page instead of JSON (a proxy's error page, a gateway timeout): never "Unexpected token '<'".
    throw new ApiError(response.status, "unreadable-answer", response.status >= 500 || !response.ok ? t("serverError") : t("networkError"));
  }
  if (!response.ok) throw new ApiError(response.status, data?.code ?? "error", data?.title ?? t("serverError"), data?.errors);
  return data as T;
}

/** What to show for a failed call: the server's field messages, or the error's own. */
export function errorText(err: unknown): string {
  return err instanceof ApiError && err.errors ? Object.values(err.errors).flat().map((e) => e.message).join(" ") : (err as Error).message;
}

/** A POST with the caller's Idempotency-Key: sent again with the same key, it answers the first result. */
export function postWithKey<T>(path: string, body: unknown, key: string): Promise<T> {
  return api<T>(path, { method: "POST", json: body, headers: { "Idempotency-Key": key } });
}

export interface Me { kind: string; userId: string | null; email: string | null; role: string | null; provinceCode: string | null; communeCodes: string[]; establishmentId: string | null }
export interface Commune { code: string; name: string; type: string; provinceCode: string; provinceName: string }
export interface GuestSummary { fullName: string; birthYear: number | null; nationality: string; documentType: string; documentMasked: string | null }
export interface ArrivalEvent {
  communeCode: string; sequence: number; occurredAt: string; notificationId: string; receiptNumber: string; establishmentId: string | null;
  placeName: string; channel: string; arrivalAt: string; departureAt: string; acceptedAt: string; late: boolean; guestCount: number;
  foreignGuestCount: number; flags: string[]; guests: GuestSummary[]; receivedAt?: string | null;
}
/** A line of the register as it now is (see the server's RegisterRowDto). */
export interface RegisterRow {
  notificationId: string; receiptNumber: string; status: string; receivedAt: string; arrivalAt: string; departureAt: string;
  establishmentId: string | null; placeName: string; channel: string; late: boolean; flags: string[]; guests: GuestSummary[]; guestsStaying: number;
  /** Where its guests' filing on the national system stands (the worst of them); absent when not relayed. */
  upstream?: string | null;
}
/** A guest's filing on the national system. */
export interface UpstreamState { state: string; kind: string; sentAt: string | null; attempts: number; code: string | null; message: string | null }
export interface WatchlistHit {
  id: string; watchlistId: string; documentNumber: string; reason: string; notificationId: string; receiptNumber: string; communeCode: string;
  guestIndex: number; guestName: string; at: string; placeName: string | null; acknowledgedAt: string | null; acknowledgementNote: string | null;
}
export interface WatchlistHitAcknowledgedEvent { communeCode: string; sequence: number; hitId: string; notificationId: string; acknowledgedAt: string; note: string }
export interface NotificationChangedEvent { communeCode: string; sequence: number; occurredAt: string; action: string; row: RegisterRow }
export interface CheckoutEvent { communeCode: string; sequence: number; notificationId: string; receiptNumber: string; departedAt: string; guestsCheckedOut: number; wholeStay: boolean }
export interface WatchlistHitEvent {
  communeCode: string; sequence: number; occurredAt: string; hitId: string; watchlistId: string; notificationId: string; receiptNumber: string;
  placeName: string; guestIndex: number; guestName: string; documentMasked: string; reason: string;
}
export interface Counters { arrivals: number; guests: number; currentlyStaying: number; foreigners: number; late: number; flagged: number; cancelled: number }
export interface EstablishmentActivity { id: string; name: string; address: string; lastNotificationAt: string | null; notifiedToday: boolean }
export interface CommuneDashboard {
  communeCode: string; communeName: string; provinceCode: string; day: string; windowStart: string; windowEnd: string; counters: Counters;
  arrivalsPerHour: number[]; establishments: EstablishmentActivity[]; rows: RegisterRow[]; rowsTruncated: boolean; lastSequence: number;
  upstreamOverdue?: UpstreamOverdue[] | null;
}
/** An establishment's guests not on the national system by 20:00 the day after arrival. */
export interface UpstreamOverdue { communeCode: string; establishmentId: string; placeName: string; phone: string | null; guests: number; oldestArrivalAt: string }
export interface UpstreamOverdueEvent { communeCode: string; sequence: number; occurredAt: string; items: UpstreamOverdue[] }
export interface Flag { code: string; message: string; guestIndex: number | null }
export interface RecordedGuest {
  index: number; fullName: string; dateOfBirth: string | null; gender?: string; documentType: string; documentNumber: string | null; nationality: string;
  checkedOutAt: string | null; documentKind?: string; deadlineAt?: string; late: boolean; dateOfBirthYearOnly?: boolean;
  foreign?: { visaOrResidenceDocument: string | null; validUntil: string | null; entryDate: string | null; entryPort: string | null; visaExempt: boolean | null } | null;
  upstream?: UpstreamState | null;
}
export interface Notification {
  id: string; receiptNumber: string; status: string; channel: string; establishmentId: string | null; communeCode: string; address: string;
  arrivalAt: string; departureAt: string; reason: string; room: string | null; acceptedAt: string; deadlineAt?: string; late: boolean; flags: Flag[];
  guests: RecordedGuest[]; receivedAt: string; receivedBy?: string; placeName?: string; reasonDetail?: string | null;
  notifier?: { hostName?: string; hostPhone?: string; guestNotifiedForSelf: boolean };
}
export interface Change { at: string; action: string; actorKind: string; actorId: string | null; reason: string | null; before: string | null; after: string | null; actorName: string | null }
export interface Page<T> { items: T[]; nextCursor: string | null }
export interface WatchlistEntry { id: string; documentNumber: string; reason: string; createdAt: string; expiresAt: string | null; hits: number }
export interface AuditEntry { id: number; at: string; actorKind: string; actorId: string | null; action: string; entityType: string; entityId: string | null; communeCode: string | null; remoteAddress: string | null }
export interface CommuneRollup { communeCode: string; communeName: string; counters: Counters; establishments: number; silentEstablishments: number; openHits: number }
export interface SilentEstablishment { id: string; name: string; communeCode: string; communeName: string; address: string; managerName: string; phone: string; lastNotificationAt: string | null }
export interface ProvinceDashboard {
  provinceCode: string; provinceName: string; day: string; windowStart: string; windowEnd: string; communes: CommuneRollup[]; totals: Counters; openHits: number;
  silent: SilentEstablishment[];
}
