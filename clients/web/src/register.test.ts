import { describe, expect, it } from "vitest";
import type { RegisterRow } from "./api";
import { countersOf, Register } from "./register";

const row = (id: string, receivedAt: string, over: Partial<RegisterRow> = {}): RegisterRow => ({
  notificationId: id, receiptNumber: "00070-261130-" + id, status: "recorded", receivedAt, arrivalAt: receivedAt, departureAt: receivedAt,
  establishmentId: null, placeName: "Số 1 phố Huế", channel: "household", late: false, flags: [],
  guests: [{ fullName: "Trần Văn Khách", birthYear: 1990, nationality: "VNM", documentType: "personal-id", documentMasked: "00********01" }],
  guestsStaying: 1, ...over,
});

describe("Register", () => {
  // Duty day 30/11: (30/11 08:00, 01/12 08:00] Vietnam time.
  const start = "2026-11-30T08:00:00+07:00", end = "2026-12-01T08:00:00+07:00";

  it("takes the lines of its window only, the end included and the start not", () => {
    const r = new Register(start, end, [], 0);
    expect(r.upsert(row("a", "2026-11-30T08:00:00+07:00"))).toBe(false);
    expect(r.upsert(row("b", "2026-11-30T08:00:01+07:00"))).toBe(true);
    expect(r.upsert(row("c", "2026-12-01T08:00:00+07:00"))).toBe(true);
    expect(r.lines().map((l) => l.notificationId)).toEqual(["c", "b"]);
  });

  it("replaces a changed line in place and counts from the lines as they now are", () => {
    const r = new Register(start, end, [row("a", "2026-11-30T09:00:00+07:00", { late: true, flags: ["late"] }), row("b", "2026-11-30T10:00:00+07:00")], 5);
    expect(r.counters()).toEqual({ arrivals: 2, guests: 2, currentlyStaying: 5, foreigners: 0, late: 1, flagged: 1, cancelled: 0 });
    expect(r.upsert(row("a", "2026-11-30T09:00:00+07:00", { status: "cancelled", late: true, flags: ["late"] }))).toBe(true);
    expect(r.counters()).toEqual({ arrivals: 1, guests: 1, currentlyStaying: 5, foreigners: 0, late: 0, flagged: 0, cancelled: 1 });
    expect(r.lines()).toHaveLength(2);
    expect(r.perHour()[10]).toBe(1);
    expect(r.perHour()[9]).toBe(0);
  });

  it("counts foreigners among guests of lines not cancelled", () => {
    const korean = { fullName: "Kim Min Jun", birthYear: 1988, nationality: "KOR", documentType: "passport", documentMasked: "M1*****78" };
    expect(countersOf([row("a", start, { guests: [korean, korean] }), row("b", start, { status: "cancelled", guests: [korean] })], 0).foreigners).toBe(2);
  });
});
