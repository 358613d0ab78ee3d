"""Why a record changed: the one list of the reasons written into the change history
(django-simple-history's history_change_reason) by the services and the bulk writers.

Each reason's stored value is its Vietnamese text, as the history held before this list existed,
so old and new rows read the same; the label is the same text through gettext, so the history
pages show it in the visitor's language (reason_label). A reason may carry a detail (the states of
a transition, a decision number): stored as "<reason>: <detail>"."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditReason(models.TextChoices):
    # Any record
    CREATED = "Tạo mới", _("Tạo mới")
    UPDATED = "Cập nhật", _("Cập nhật")
    DELETED = "Xóa", _("Xóa")
    DEMO_DATA = (
        "Dữ liệu mẫu (số liệu giả lập, không phải số liệu thật)",
        _("Dữ liệu mẫu (số liệu giả lập, không phải số liệu thật)"),
    )
    # Registry: photos and sales channels
    PUBLISHED_WHEN_CERTIFIED = "Công khai khi được chứng nhận", _("Công khai khi được chứng nhận")
    WITHDRAWN_FROM_PUBLIC = "Tạm ẩn khỏi trang công khai", _("Tạm ẩn khỏi trang công khai")
    RESTORED_TO_PUBLIC = "Công khai trở lại", _("Công khai trở lại")
    PHOTO_ADDED = "Thêm ảnh", _("Thêm ảnh")
    PHOTO_DELETED = "Xóa ảnh", _("Xóa ảnh")
    SALES_LINK_ADDED = "Thêm kênh bán", _("Thêm kênh bán")
    SALES_LINK_DELETED = "Xóa kênh bán", _("Xóa kênh bán")
    # Evaluation
    STATE_CHANGED = "Chuyển trạng thái", _("Chuyển trạng thái")
    DOSSIER_CREATED = "Tạo hồ sơ", _("Tạo hồ sơ")
    FORM_03_REPORTED = "Báo cáo Mẫu 03", _("Báo cáo Mẫu 03")
    ROUND_CREATED = "Tạo đợt", _("Tạo đợt")
    ROUND_CLOSED = "Kết thúc đợt", _("Kết thúc đợt")
    ROUND_DECIDED = "Quyết định", _("Quyết định")
    SHEET_SUBMITTED = "Nộp phiếu", _("Nộp phiếu")
    SHEET_DRAFT_SAVED = "Lưu nháp", _("Lưu nháp")
    DOCUMENT_UPLOADED = "Tải tài liệu hồ sơ", _("Tải tài liệu hồ sơ")
    DOCUMENT_REPLACED = "Thay tài liệu hồ sơ", _("Thay tài liệu hồ sơ")
    FORM_FILLED = "Điền mẫu hồ sơ", _("Điền mẫu hồ sơ")
    SELF_ASSESSED = "Tự đánh giá tiêu chí", _("Tự đánh giá tiêu chí")
    PRECHECKED = "Tổ giúp việc rà soát", _("Tổ giúp việc rà soát")
    QUERY_ANSWERED = "Chủ thể trả lời", _("Chủ thể trả lời")
    CRITERION_COMMENTED = "Ý kiến thành viên hội đồng", _("Ý kiến thành viên hội đồng")
    # Certificates
    CERTIFICATE_ISSUED = "Cấp giấy chứng nhận", _("Cấp giấy chứng nhận")
    CERTIFICATE_REPLACED = "Được thay bằng giấy chứng nhận mới", _("Được thay bằng giấy chứng nhận mới")
    CERTIFICATE_HISTORICAL = (
        "Ghi nhận giấy chứng nhận cấp trước khi có hệ thống",
        _("Ghi nhận giấy chứng nhận cấp trước khi có hệ thống"),
    )
    CERTIFICATE_NO_LONGER_CURRENT = (
        "Không còn là giấy hiện hành (có giấy cấp sau)",
        _("Không còn là giấy hiện hành (có giấy cấp sau)"),
    )
    CERTIFICATE_NOW_CURRENT = "Là giấy hiện hành (cấp gần nhất)", _("Là giấy hiện hành (cấp gần nhất)")
    CERTIFICATE_REVOKED = "Thu hồi giấy chứng nhận", _("Thu hồi giấy chứng nhận")
    CERTIFICATE_COMPLETED = "Bổ sung số quyết định, ngày cấp", _("Bổ sung số quyết định, ngày cấp")
    CERTIFICATE_HELD = (
        "Giữ hiệu lực chờ quyết định đánh giá lại",
        _("Giữ hiệu lực chờ quyết định đánh giá lại"),
    )
    CERTIFICATE_HOLD_ENDED = "Hết giữ hiệu lực (đã có quyết định)", _("Hết giữ hiệu lực (đã có quyết định)")
    RECOGNITION_DECISION_RECORDED = "Ghi nhận quyết định công nhận", _("Ghi nhận quyết định công nhận")
    REVOCATION_DECISION_RECORDED = "Ghi nhận quyết định thu hồi", _("Ghi nhận quyết định thu hồi")
    VIOLATION_RECORDED = "Ghi nhận phát hiện vi phạm", _("Ghi nhận phát hiện vi phạm")
    VIOLATION_REVOCATION_DECIDED = "Đã có quyết định thu hồi", _("Đã có quyết định thu hồi")
    # Raw-material areas
    DELETED_WITH_AREA = "Xóa cùng vùng nguyên liệu", _("Xóa cùng vùng nguyên liệu")
    AREA_CERTIFICATION_ADDED = "Thêm chứng nhận", _("Thêm chứng nhận")
    AREA_CERTIFICATION_UPDATED = "Cập nhật chứng nhận", _("Cập nhật chứng nhận")
    AREA_CERTIFICATION_DELETED = "Xóa chứng nhận", _("Xóa chứng nhận")
    # Traceability: batches and their codes
    BATCH_CODE_ISSUED = "Phát hành mã QR của lô", _("Phát hành mã QR của lô")
    BATCH_RECALLED = "Thu hồi lô", _("Thu hồi lô")
    BATCH_IMPORTED = "Nhập lô từ tệp của đối tác", _("Nhập lô từ tệp của đối tác")
    # Sales
    MONTHLY_SALES_ENTERED = "Nhập số liệu tháng", _("Nhập số liệu tháng")
    MONTHLY_SALES_CHANGED = "Sửa số liệu tháng", _("Sửa số liệu tháng")
    MONTHLY_SALES_DELETED = "Xóa số liệu tháng", _("Xóa số liệu tháng")
    # Trade promotion
    PARTICIPANT_ADDED = "Thêm chủ thể tham gia", _("Thêm chủ thể tham gia")
    SELF_REGISTERED = "Đăng ký tham gia", _("Đăng ký tham gia")
    REGISTRATION_WITHDRAWN = "Rút đăng ký", _("Rút đăng ký")
    RESULTS_RECORDED = "Ghi kết quả", _("Ghi kết quả")
    # Support and training
    GRANT_RECORDED = "Ghi nhận hỗ trợ", _("Ghi nhận hỗ trợ")
    TRAINEE_ADDED = "Thêm học viên", _("Thêm học viên")
    TRAINEE_REMOVED = "Xóa học viên", _("Xóa học viên")
    ATTENDANCE_TAKEN = "Điểm danh", _("Điểm danh")


DETAIL_SEPARATOR = ": "


def reason_text(reason: AuditReason | None, detail: str = "") -> str:
    """The text stored in the history for `reason` (and its detail). Only AuditReason members
    are accepted, so that no service invents a reason of its own."""
    if reason is None:
        return ""
    if not isinstance(reason, AuditReason):
        raise TypeError(f"audit reason must be an AuditReason, not {reason!r}")
    return f"{reason.value}{DETAIL_SEPARATOR}{detail}" if detail else reason.value


def reason_label(stored: str | None) -> str:
    """A stored reason in the visitor's language (a text that is no known reason: as it is)."""
    if not stored:
        return ""
    if stored in AuditReason.values:
        return str(AuditReason(stored).label)
    head, sep, detail = stored.partition(DETAIL_SEPARATOR)
    if sep and head in AuditReason.values:
        return f"{AuditReason(head).label}{DETAIL_SEPARATOR}{detail}"
    return stored
