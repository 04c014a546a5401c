import { describe, expect, it } from "vitest";
import { FeedTracker } from "./feed";

describe("FeedTracker", () => {
  it("shows each event once and resumes from the last contiguous sequence", () => {
    const t = new FeedTracker();
    t.start("00070", 10);
    expect(t.accept("00070", 10)).toBe(false); // already in the summary
    expect(t.accept("00070", 11)).toBe(true);
    expect(t.accept("00070", 13)).toBe(true); // 12 is missing
    expect(t.lastSeen()).toEqual({ "00070": 11 });
    expect(t.accept("00070", 13)).toBe(false); // delivered twice
    expect(t.accept("00070", 12)).toBe(true); // the resume fills the gap
    expect(t.lastSeen()).toEqual({ "00070": 13 });
  });

  it("tracks communes apart and starts unknown ones at zero", () => {
    const t = new FeedTracker();
    expect(t.accept("00004", 1)).toBe(true);
    expect(t.accept("00008", 1)).toBe(true);
    expect(t.accept("00004", 1)).toBe(false);
    expect(t.lastSeen()).toEqual({ "00004": 1, "00008": 1 });
  });
});
