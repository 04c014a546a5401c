import type { ArrivalEvent, Counters, RegisterRow } from "./api";

/** A commune's register for one duty day as the dashboard holds it: the lines received in (start, end], each as it now
 *  is. Arrivals and changes pushed live replace a line in place (by notification id); the counters are always counted
 *  from these same lines, as the server counts them (Police/DashboardEndpoints.cs, RegisterRows.Count). */
export class Register {
  private readonly rows = new Map<string, RegisterRow>();

  constructor(readonly start: string, readonly end: string, rows: RegisterRow[], public stayingNow: number) {
    for (const r of rows) this.rows.set(r.notificationId, r);
  }

  /** Whether a line belongs to this register: received in (start, end]. */
  holds(row: RegisterRow): boolean {
    const at = Date.parse(row.receivedAt);
    return at > Date.parse(this.start) && at <= Date.parse(this.end);
  }

  /** Puts the line in (new, or in place of the one it changes); false when it belongs to another day. */
  upsert(row: RegisterRow): boolean {
    if (!this.holds(row) && !this.rows.has(row.notificationId)) return false;
    this.rows.set(row.notificationId, row);
    return true;
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Newest received first, as the server lists them. */
  lines(): RegisterRow[] {
    return [...this.rows.values()].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt) || b.receiptNumber.localeCompare(a.receiptNumber));
  }

  counters(): Counters {
    return countersOf(this.lines(), this.stayingNow);
  }

  /** Lines not cancelled per hour of reception (Vietnam time). */
  perHour(): number[] {
    const hours = new Array<number>(24).fill(0);
    for (const r of this.rows.values()) if (r.status !== "cancelled") hours[vietnamHour(r.receivedAt)]++;
    return hours;
  }
}

/** Arrivals are the lines not cancelled; guests, foreigners, late and flagged are counted among them. */
export function countersOf(rows: RegisterRow[], stayingNow: number): Counters {
  const live = rows.filter((r) => r.status !== "cancelled");
  return {
    arrivals: live.length,
    guests: live.reduce((n, r) => n + r.guests.length, 0),
    currentlyStaying: stayingNow,
    foreigners: live.reduce((n, r) => n + r.guests.filter((g) => g.nationality !== "VNM").length, 0),
    late: live.filter((r) => r.late).length,
    flagged: live.filter((r) => r.flags.length > 0).length,
    cancelled: rows.length - live.length,
  };
}

/** The line an arrival event describes (just recorded: every guest staying). */
export function rowOfArrival(a: ArrivalEvent): RegisterRow {
  return {
    notificationId: a.notificationId, receiptNumber: a.receiptNumber, status: "recorded", receivedAt: a.receivedAt ?? a.acceptedAt,
    arrivalAt: a.arrivalAt, departureAt: a.departureAt, establishmentId: a.establishmentId, placeName: a.placeName, channel: a.channel,
    late: a.late, flags: a.flags, guests: a.guests, guestsStaying: a.guests.length,
  };
}

export function vietnamHour(iso: string): number {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", hourCycle: "h23" }).format(new Date(iso))) % 24;
}
