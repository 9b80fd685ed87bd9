"""A realistic demo congress: Vietnamese names with diacritics, units and kinds, deterministic by
seed."""

import random
from datetime import date, timedelta

from session.quorum import Kind
from session.register import DelegateRecord

# fmt: off
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Hà", "Tạ", "Lương", "Tôn Nữ", "Âu Dương"]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Công", "Quốc", "Minh", "Thành", "Đình", "Xuân", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị Thu", "Ngọc", "Thanh", "Thị Mỹ", "Hồng", "Thùy", "Kim"]
GIVEN_MALE = ["Khỏe", "An", "Bình", "Cường", "Dũng", "Đạt", "Điệp", "Đông", "Hải", "Hùng",
              "Khoa", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Ước",
              "Việt", "Ân", "Ưng", "Lực", "Toàn"]
GIVEN_FEMALE = ["Ánh", "Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Hương", "Lan",
                "Linh", "Mai", "Nga", "Ngọc", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Yến",
                "Ý", "Ơn", "Uyên", "Nhung", "Thủy"]
UNITS = ["Đảng bộ xã Hưng Hóa", "Đảng bộ xã Dị Nậu", "Đảng bộ xã Thọ Văn", "Đảng bộ xã Tề Lễ",
         "Đảng bộ thị trấn Tam Nông", "Đảng bộ xã Hiền Quan", "Đảng bộ xã Vạn Xuân",
         "Đảng bộ xã Quang Húc", "Đảng bộ xã Xuân Quang", "Đảng bộ xã Thanh Uyên",
         "Đảng bộ Công an huyện", "Đảng bộ Quân sự huyện", "Đảng bộ Cơ quan Chính quyền huyện",
         "Đảng bộ Khối Doanh nghiệp", "Đảng bộ xã Lam Sơn", "Đảng bộ xã Hùng Đô"]
ETHNICITIES = ["Kinh"] * 8 + ["Mường", "Dao", "Tày"]
EDUCATION = ["Đại học", "Đại học", "Thạc sĩ", "Tiến sĩ", "Cao đẳng"]
SECTORS = ["A", "B", "C"]
# fmt: on


DEMO_COMMITTEE = "bch"
DEMO_CANDIDATES = 11  # the convening committee's list for 9 seats: a surplus of 2 (22.22 %)


def demo_congress(delegates: int, start: date) -> dict[str, object]:
    """The congress file of the demo, as parsed TOML."""
    return {
        "congress": {
            "name": (
                "Đại hội đại biểu Đảng bộ huyện Tam Nông lần thứ XXIV, nhiệm kỳ 2025–2030 (thử)"
            ),
            "level": "district",
            "term": "2025–2030",
            "venue": "Hội trường Trung tâm Chính trị huyện Tam Nông",
            "start": start.isoformat(),
            "end": (start + timedelta(days=2)).isoformat(),
            "language": "vi",
            "timezone": "Asia/Ho_Chi_Minh",
            "type": "representative",
            "stations": ["cửa-chính", "cửa-phụ"],
        },
        "rules": {"ruleset": "vn_party_2014"},
        "sectors": [
            {"code": "A", "name": "Khu A – bên trái"},
            {"code": "B", "name": "Khu B – giữa"},
            {"code": "C", "name": "Khu C – bên phải"},
        ],
        "elections": [
            {
                "name": DEMO_COMMITTEE,
                "kind": "committee",
                "title": "Bầu Ban Chấp hành Đảng bộ huyện khóa XXV, nhiệm kỳ 2025–2030",
                "seats": 9,
            },
            {
                "name": "doan",
                "kind": "delegates_higher",
                "title": "Bầu Đoàn đại biểu dự Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
                "seats": 5,
                "alternates": 1,
            },
        ],
    }


def demo_register(count: int, seed: int = 2025) -> list[DelegateRecord]:
    """`count` delegates: about 10 % ex officio, a few alternates and guests, the rest official."""
    rng = random.Random(seed)
    records = []
    for number in range(1, count + 1):
        female = rng.random() < 0.2
        family = rng.choice(FAMILY)
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        if number == 1:
            family, middle, given, female = "Nguyễn", "Văn", "Khỏe", False
        # Fixed positions, so every register of 25 or more has each kind (tests rely on it).
        if number % 10 == 1:
            kind, origin = Kind.EX_OFFICIO, "ex_officio"
        elif number % 25 == 7:
            kind, origin = Kind.GUEST, ""
        elif number % 25 == 13:
            kind, origin = Kind.ALTERNATE, "elected"
        else:
            kind, origin = Kind.OFFICIAL, "appointed" if rng.random() > 0.9 else "elected"
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
        records.append(
            DelegateRecord(
                number=number,
                full_name=f"{family} {middle} {given}",
                unit=rng.choice(UNITS) if kind is not Kind.GUEST else "Ban Tổ chức Tỉnh ủy",
                kind=kind,
                origin=origin,
                gender="female" if female else "male",
                date_of_birth=birth,
                ethnicity=rng.choice(ETHNICITIES),
                education=rng.choice(EDUCATION),
                sector=SECTORS[number % len(SECTORS)],
            )
        )
    return records
