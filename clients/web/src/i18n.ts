/** Vietnamese first; English as a toggle (remembered in the browser). */
export type Lang = "vi" | "en";

const texts = {
  appName: ["CuTru.LuuTru — Công an xã", "CuTru.LuuTru — Commune police"],
  signIn: ["Đăng nhập", "Sign in"],
  signOut: ["Đăng xuất", "Sign out"],
  email: ["Thư điện tử", "Email"],
  password: ["Mật khẩu", "Password"],
  signInFailed: ["Sai thư điện tử hoặc mật khẩu.", "Wrong email or password."],
  notPolice: ["Tài khoản này không phải của công an.", "This account is not a police account."],
  commune: ["Xã, phường", "Commune"],
  day: ["Ngày", "Day"],
  live: ["Trực tuyến", "Live"],
  reconnecting: ["Đang kết nối lại…", "Reconnecting…"],
  offline: ["Mất kết nối", "Disconnected"],
  arrivals: ["Lượt đến", "Arrivals"],
  guests: ["Khách", "Guests"],
  staying: ["Đang lưu trú", "Staying now"],
  foreigners: ["Người nước ngoài", "Foreigners"],
  late: ["Báo muộn", "Late"],
  flagged: ["Có cảnh báo", "Flagged"],
  perHour: ["Lượt đến theo giờ", "Arrivals per hour"],
  liveArrivals: ["Khách đến (trực tiếp)", "Arrivals (live)"],
  time: ["Giờ đến", "Arrival"],
  receipt: ["Số tiếp nhận", "Receipt"],
  place: ["Cơ sở", "Place"],
  guestList: ["Khách", "Guests"],
  flags: ["Cảnh báo", "Flags"],
  noArrivals: ["Chưa có lượt đến nào trong ngày.", "No arrivals yet today."],
  establishments: ["Cơ sở lưu trú", "Establishments"],
  lastNotified: ["Thông báo gần nhất", "Last notification"],
  silentToday: ["Chưa thông báo hôm nay", "Silent today"],
  never: ["Chưa bao giờ", "Never"],
  search: ["Tra cứu", "Search"],
  searchHint: ["Họ tên (không cần dấu) hoặc số giấy tờ", "Name (diacritics optional) or document number"],
  from: ["Từ", "From"],
  to: ["Đến", "To"],
  establishment: ["Cơ sở", "Establishment"],
  all: ["Tất cả", "All"],
  more: ["Xem thêm", "More"],
  noResults: ["Không tìm thấy kết quả.", "Nothing found."],
  detail: ["Chi tiết thông báo", "Notification detail"],
  close: ["Đóng", "Close"],
  history: ["Lịch sử thay đổi", "History"],
  status: ["Trạng thái", "Status"],
  departure: ["Dự kiến đi", "Planned departure"],
  document: ["Giấy tờ", "Document"],
  birth: ["Ngày sinh", "Date of birth"],
  nationality: ["Quốc tịch", "Nationality"],
  watchlist: ["Danh sách theo dõi", "Watchlist"],
  documentNumber: ["Số giấy tờ", "Document number"],
  reason: ["Lý do", "Reason"],
  expiresAt: ["Hết hạn", "Expires"],
  add: ["Thêm", "Add"],
  remove: ["Gỡ", "Remove"],
  hits: ["Lượt phát hiện", "Hits"],
  alerts: ["Cảnh báo đối tượng", "Watchlist alerts"],
  alertText: ["Phát hiện đối tượng trong danh sách theo dõi", "Watchlist hit"],
  audit: ["Nhật ký truy cập", "Audit trail"],
  actor: ["Người thực hiện", "Actor"],
  action: ["Hành động", "Action"],
  from_: ["Từ địa chỉ", "From"],
  household: ["Hộ gia đình", "Household"],
  error: ["Có lỗi xảy ra", "Something went wrong"],
  reports: ["Báo cáo lưu trú", "Reports"],
  nightlyReport: ["Báo cáo 23 giờ", "23:00 report"],
  morningReport: ["Báo cáo bổ sung 8 giờ", "08:00 follow-up"],
  reportReady: ["Báo cáo mới", "New report"],
} as const;

export type TextKey = keyof typeof texts;

let lang: Lang = (localStorage.getItem("luutru.lang") as Lang) === "en" ? "en" : "vi";

export const currentLang = (): Lang => lang;
export const t = (key: TextKey): string => texts[key][lang === "vi" ? 0 : 1];
export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem("luutru.lang", next);
  document.documentElement.lang = next;
}

const flagTexts: Record<string, [string, string]> = {
  "late": ["Báo muộn", "Late"],
  "foreigner-late": ["Người nước ngoài báo muộn", "Foreigner late"],
  "stay-30-days-or-more": ["Lưu trú từ 30 ngày", "30 days or more"],
  "id-gender-mismatch": ["Số định danh lệch giới tính", "ID/gender mismatch"],
  "id-birth-year-mismatch": ["Số định danh lệch năm sinh", "ID/birth year mismatch"],
  "child-without-id": ["Trẻ em chưa có số định danh", "Child without ID"],
  "staying-elsewhere": ["Đang lưu trú nơi khác", "Staying elsewhere"],
};
export const flagText = (code: string): string => (flagTexts[code] ?? [code, code])[lang === "vi" ? 0 : 1];

const zone = "Asia/Ho_Chi_Minh";
export const fmtTime = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(new Date(iso)) : "—";
export const fmtDateTime = (iso: string | null | undefined): string =>
  iso ? new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", { timeZone: zone, dateStyle: "short", timeStyle: "short" }).format(new Date(iso)) : "—";
/** Today in Vietnam, yyyy-mm-dd. */
export const vietnamToday = (): string => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
