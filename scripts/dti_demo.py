#!/usr/bin/env python3
"""Demo input data for the DTI era (2020 →), written so that the published figures come out.

    python scripts/dti_demo.py OUTDIR

writes OUTDIR/frameworks/*.yaml, OUTDIR/submissions/<year>/*.csv, OUTDIR/units_additions.csv
(rows to append to data/units/units.csv) and OUTDIR/README_dti.md (a section for
data/README.md), then re-reads what it wrote and checks every published figure with an
independent exact computation (verify()). Exits 1 when a figure does not hold.

How the points are made (all exact decimals, random.Random with a fixed seed):
* a published value v of a node with maximum m was rounded half up to 4 decimals, so its
  points lie in [m(v - 0.00005), m(v + 0.00005)); fit() starts at m·v and moves inside those
  intervals until the total also rounds to the published index (TP.HCM 2022: its rounded
  values sum to 0.7164, its DTI is 0.7163);
* the other units get distinct totals in the places their published ranks leave them;
* split() then spreads a node's points over its children, never above a child's maximum
  (so no cap bites unless on purpose) and exactly: children's points add up to the parent's.
Stdlib only, with the helpers of scripts/demo_common.py (the trees are written as outlines, YAML
as text and read back by a reader for exactly this subset).
"""
import csv
import random
import sys
import unicodedata
from decimal import ROUND_CEILING, ROUND_DOWN
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

from demo_common import (
    CENT,
    CODE,
    HALF,
    PILLARS_22,
    C,
    I,
    capacity,
    distinct,
    fmt,
    framework,
    framework_row,
    leaves,
    mains,
    outline,
    overlapping,
    pillars_22,
    print_table,
    q4,
    rank,
    read_values,
    read_yaml,
    root,
    score,
    split,
    strength,
    structure_problems,
    write_framework,
    write_submissions,
)

REPO = Path(__file__).resolve().parent.parent
SEED = 20200922
BANDS = [("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0)]


# ---------------------------------------------------------------- framework trees
# each an outline (demo_common.outline): `CODE name | max` for a main indicator, then one node a
# line two spaces deeper a level; the codes below a main indicator follow the order (NT.1, NT.1.2)
PROVINCE_2022 = """
NT Nhận thức số | 100
  Lãnh đạo, chỉ đạo chuyển đổi số | 40
    Ban Chỉ đạo chuyển đổi số của tỉnh | 20
      Bí thư Tỉnh ủy hoặc Chủ tịch UBND tỉnh là Trưởng Ban Chỉ đạo | 10
      Ban Chỉ đạo có quy chế, kế hoạch hoạt động và họp định kỳ | 10
    Nghị quyết, chỉ thị chuyên đề về chuyển đổi số | 20
      Tỉnh ủy ban hành nghị quyết chuyên đề về chuyển đổi số | 10
      Kiểm tra, sơ kết việc thực hiện nghị quyết | 10
  Tuyên truyền, phổ biến về chuyển đổi số | 30
    Chuyên mục chuyển đổi số trên cổng thông tin, báo, đài của tỉnh | 15
    Hội nghị, hội thảo, tập huấn nâng cao nhận thức về chuyển đổi số | 15
  Đánh giá và lan tỏa chuyển đổi số | 30
    Đánh giá, xếp hạng chuyển đổi số các sở, ngành, địa phương | 15
    Tổ công nghệ số cộng đồng được thành lập tại cấp xã | 15
TC Thể chế số | 100
  Chương trình, kế hoạch chuyển đổi số | 30
    Đề án chuyển đổi số đến năm 2025, định hướng đến năm 2030 | 15
      Ban hành chương trình, đề án chuyển đổi số | 10
      Ban hành kế hoạch chuyển đổi số năm 2022 | 5
    Kiến trúc Chính quyền điện tử | 15
      Cập nhật Kiến trúc Chính quyền điện tử phiên bản 2.0 | 10
      Triển khai theo kiến trúc đã ban hành | 5
  Chính sách thu hút, đãi ngộ nhân lực số | 20
    Chính sách thu hút chuyên gia, nhân lực số | 10
    Chế độ hỗ trợ cán bộ chuyên trách công nghệ thông tin, chuyển đổi số | 10
  Kinh phí cho chuyển đổi số | 30
    Tỷ lệ chi ngân sách cho chuyển đổi số | 20
    Huy động nguồn lực xã hội hóa cho chuyển đổi số | 10
  Quản lý, chia sẻ dữ liệu | 20
    Quy chế quản lý, kết nối, chia sẻ dữ liệu | 10
    Danh mục cơ sở dữ liệu dùng chung của tỉnh | 10
HT Hạ tầng số | 100
  Hạ tầng viễn thông băng rộng | 40
    Mạng di động băng rộng | 20
      Tỷ lệ dân số được phủ sóng 4G/5G | 10
      Tỷ lệ thôn, bản có sóng di động băng rộng | 10
    Mạng băng rộng cố định | 20
      Tỷ lệ thôn, bản có mạng cáp quang | 10
      Tốc độ truy nhập Internet băng rộng cố định trung bình | 10
  Hạ tầng phục vụ chính quyền số | 35
    Mạng truyền số liệu chuyên dùng | 15
      Tỷ lệ cơ quan cấp tỉnh, huyện, xã kết nối mạng truyền số liệu chuyên dùng | 10
      Triển khai IPv6 | 5
    Trung tâm dữ liệu, điện toán đám mây | 20
      Có trung tâm dữ liệu hoặc thuê dịch vụ điện toán đám mây | 10
      Tỷ lệ hệ thống thông tin vận hành trên điện toán đám mây | 10
  Nền tảng số | 25
    Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối NDXP | 10
    Trung tâm giám sát, điều hành thông minh (IOC) | 10
    Sử dụng nền tảng số quốc gia | 5
NL Nhân lực số | 100
  Nhân lực chuyển đổi số trong cơ quan nhà nước | 40
    Cán bộ chuyên trách chuyển đổi số | 20
      Tỷ lệ cơ quan cấp tỉnh có cán bộ chuyên trách | 10
      Tỷ lệ UBND cấp xã có công chức phụ trách chuyển đổi số | 10
    Đào tạo, bồi dưỡng kỹ năng số | 20
      Tỷ lệ cán bộ, công chức được tập huấn kỹ năng số | 10
      Số lượt cán bộ chuyên trách được đào tạo chuyên sâu | 10
  Nhân lực số trong xã hội | 30
    Tỷ lệ lao động có kỹ năng số cơ bản | 15
    Số sinh viên tốt nghiệp ngành công nghệ thông tin, điện tử viễn thông | 15
  Phổ cập kỹ năng số cho người dân | 30
    Số lượt người dân học kỹ năng số trên nền tảng MOOCs | 15
    Tỷ lệ người dân được hướng dẫn sử dụng dịch vụ công trực tuyến | 15
ATTT An toàn thông tin mạng | 100
  Bảo đảm an toàn hệ thống thông tin theo cấp độ | 30
    Phê duyệt hồ sơ đề xuất cấp độ | 15
      Tỷ lệ hệ thống thông tin được phê duyệt cấp độ | 10
      Triển khai phương án bảo đảm an toàn theo hồ sơ | 5
    Kiểm tra, đánh giá định kỳ | 15
      Kiểm tra, đánh giá an toàn thông tin định kỳ | 10
      Khắc phục điểm yếu, lỗ hổng được phát hiện | 5
  Bảo vệ theo mô hình 4 lớp | 30
    Lực lượng tại chỗ | 10
    Giám sát, bảo vệ chuyên nghiệp (SOC) | 10
    Kết nối với hệ thống giám sát quốc gia | 10
  Ứng cứu sự cố và diễn tập | 20
    Đội ứng cứu sự cố an toàn thông tin mạng của tỉnh | 10
    Tổ chức diễn tập thực chiến | 10
  Phòng, chống mã độc | 20
    Tỷ lệ máy trạm cài phần mềm phòng, chống mã độc có quản trị tập trung | 10
    Tỷ lệ máy chủ được giám sát, phòng chống mã độc | 10
HD_CQS Hoạt động chính quyền số | 200
  Cung cấp dịch vụ công trực tuyến | 80
    Dịch vụ công trực tuyến toàn trình | 30
      Tỷ lệ thủ tục hành chính cung cấp trực tuyến toàn trình | 15
      Tỷ lệ hồ sơ trực tuyến toàn trình | 15
    Tích hợp Cổng Dịch vụ công quốc gia | 25
      Tỷ lệ dịch vụ công trực tuyến được tích hợp | 10
      Tỷ lệ hồ sơ thanh toán trực tuyến | 15
    Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | 25
      Tỷ lệ hồ sơ được số hóa | 15
      Tỷ lệ kết quả giải quyết được số hóa | 10
  Hoạt động nội bộ trên môi trường số | 60
    Văn bản điện tử và chữ ký số | 30
      Tỷ lệ văn bản trao đổi dưới dạng điện tử | 10
      Tỷ lệ văn bản được ký số | 10
      Kết nối Trục liên thông văn bản quốc gia | 10
    Hồ sơ công việc và báo cáo | 30
      Tỷ lệ hồ sơ công việc cấp tỉnh xử lý trên môi trường mạng | 15
      Hệ thống thông tin báo cáo kết nối Hệ thống thông tin báo cáo Chính phủ | 15
  Dữ liệu số | 60
    Cơ sở dữ liệu dùng chung được xây dựng, cập nhật | 20
    Kết nối, chia sẻ với cơ sở dữ liệu quốc gia | 20
    Dữ liệu mở được công bố | 20
HD_KTS Hoạt động kinh tế số | 150
  Quy mô kinh tế số | 50
    Tỷ trọng kinh tế số trong GRDP | 30
    Số doanh nghiệp công nghệ số | 20
  Thương mại điện tử và thanh toán số | 60
    Thương mại điện tử | 30
      Tỷ lệ doanh nghiệp tham gia sàn thương mại điện tử | 15
      Sản phẩm OCOP trên sàn thương mại điện tử | 15
    Thanh toán không dùng tiền mặt | 30
      Tỷ lệ giao dịch thanh toán không dùng tiền mặt | 15
      Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử | 15
  Doanh nghiệp chuyển đổi số | 40
    Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số | 20
    Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử | 20
HD_XHS Hoạt động xã hội số | 150
  Thiết bị và kết nối của người dân | 40
    Tỷ lệ dân số trưởng thành có điện thoại thông minh | 20
    Tỷ lệ hộ gia đình có Internet băng rộng cáp quang | 20
  Danh tính số và thanh toán số | 50
    Danh tính số | 25
      Tỷ lệ dân số trưởng thành có định danh điện tử | 15
      Tỷ lệ người dân có tài khoản trên Cổng Dịch vụ công | 10
    Thanh toán số | 25
      Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử | 15
      Tỷ lệ dân số sử dụng dịch vụ Mobile Money | 10
  Y tế số và giáo dục số | 60
    Y tế số | 30
      Tỷ lệ dân số có hồ sơ sức khỏe điện tử | 15
      Tỷ lệ cơ sở khám, chữa bệnh triển khai bệnh án điện tử | 15
    Giáo dục số | 30
      Tỷ lệ cơ sở giáo dục triển khai học liệu số | 15
      Tỷ lệ thanh toán học phí không dùng tiền mặt | 15
"""


def fw_province_2022():
    """QĐ 922/QĐ-BTTTT: five foundation indicators (100 each) and three activities. The main
    indicators are real; the components and criteria below them are abridged (illustrative)."""
    return framework("mic-dti-province-2022", "Bộ chỉ số đánh giá chuyển đổi số cấp tỉnh (QĐ 922/QĐ-BTTTT), năm 2022",
                     "national", "province", 2022, mains(*outline(PROVINCE_2022)), pillars=pillars_22())


TOPICS_20 = [("NT", "Chuyển đổi nhận thức"), ("TC", "Kiến tạo thể chế"), ("HT", "Phát triển hạ tầng và nền tảng số"),
             ("DL", "Thông tin và dữ liệu số"), ("HD", "Hoạt động"), ("ATTT", "An toàn, an ninh mạng"),
             ("NL", "Đào tạo và phát triển nhân lực")]
MAX_20 = {"CQS": [40, 40, 80, 60, 100, 40, 40], "KTS": [30, 30, 40, 40, 100, 30, 30], "XHS": [30, 30, 50, 30, 100, 30, 30]}
WORDS_20 = {"CQS": "chính quyền số", "KTS": "kinh tế số", "XHS": "xã hội số"}
OWN_20 = {  # the pillar-specific indicators (share of the main indicator's max, in %)
    ("CQS", "HT"): [("Mạng truyền số liệu chuyên dùng và trung tâm dữ liệu", 40), ("Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP)", 30), ("Hệ thống quản lý văn bản liên thông", 30)],
    ("KTS", "HT"): [("Hạ tầng thanh toán điện tử", 50), ("Nền tảng thương mại điện tử của địa phương", 50)],
    ("XHS", "HT"): [("Tỷ lệ dân số được phủ sóng băng rộng di động 4G", 50), ("Tỷ lệ hộ gia đình có Internet băng rộng cáp quang", 50)],
    ("CQS", "DL"): [("Cơ sở dữ liệu chuyên ngành được xây dựng", 50), ("Dữ liệu mở được công bố", 50)],
    ("KTS", "DL"): [("Dữ liệu doanh nghiệp được số hóa, chia sẻ", 100)],
    ("XHS", "DL"): [("Dữ liệu dân cư, y tế, giáo dục được số hóa", 100)],
    ("KTS", "HD"): [("Tỷ trọng kinh tế số trong GRDP", 40), ("Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử", 30), ("Tỷ lệ giao dịch thanh toán không dùng tiền mặt", 30)],
    ("XHS", "HD"): [("Tỷ lệ dân số trưởng thành có điện thoại thông minh", 35), ("Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử", 35), ("Tỷ lệ dân số có hồ sơ sức khỏe điện tử", 30)],
}
COMMON_20 = {"NT": ["Người đứng đầu trực tiếp chỉ đạo phát triển {w}", "Tuyên truyền, nâng cao nhận thức về {w}"],
             "TC": ["Kế hoạch phát triển {w} được ban hành", "Cơ chế, chính sách thúc đẩy {w}"],
             "ATTT": ["Bảo đảm an toàn thông tin theo cấp độ cho hệ thống {w}", "Giám sát, ứng cứu sự cố an toàn thông tin mạng"],
             "NL": ["Đào tạo, bồi dưỡng nhân lực {w}", "Nhân lực chuyên trách {w}"]}


def fw_province_2020():
    """QĐ 1726/QĐ-BTTTT: three pillars of seven main indicators (400 + 300 + 300); the indicators
    below them are illustrative (1–3 each, one nested level in CQS.HD)."""
    items = []
    for p in ("CQS", "KTS", "XHS"):
        w = WORDS_20[p]
        for (t, topic), mx in zip(TOPICS_20, MAX_20[p]):
            name = f"Hoạt động {w}" if t == "HD" else f"{topic} ({w})"
            if (p, t) == ("CQS", "HD"):
                kids = [C("Dịch vụ công trực tuyến", 60, I("Tỷ lệ dịch vụ công trực tuyến mức độ 3, 4", 30), I("Tỷ lệ hồ sơ trực tuyến mức độ 3, 4", 30)),
                        C("Hoạt động nội bộ trên môi trường số", 40, I("Tỷ lệ văn bản điện tử có ký số", 20), I("Hệ thống thông tin báo cáo của tỉnh", 20))]
            elif (p, t) in OWN_20:
                kids = [I(n, D(mx) * share / 100) for n, share in OWN_20[p, t]]
            else:
                kids = [I(n.format(w=w), D(mx) / 2) for n in COMMON_20[t]]
            items.append((f"{p}.{t}", C(name, mx, *kids)))
    return framework("mic-dti-province-2020", "Bộ chỉ số đánh giá chuyển đổi số cấp tỉnh (QĐ 1726/QĐ-BTTTT), năm 2020",
                     "national", "province", 2020, mains(*items),
                     pillars=[(p, n, [f"{p}.{t}" for t, _ in TOPICS_20]) for p, n, _ in PILLARS_22])


MINISTRIES = """
NT Chuyển đổi nhận thức | 100
  Bộ trưởng, Thủ trưởng cơ quan là Trưởng Ban Chỉ đạo chuyển đổi số | 50
  Tuyên truyền, phổ biến về chuyển đổi số | 50
TC Kiến tạo thể chế | 100
  Kế hoạch chuyển đổi số của bộ, ngành | 40
  Kiến trúc Chính phủ điện tử của bộ, ngành (phiên bản 2.0) | 30
  Quy chế quản lý, chia sẻ dữ liệu | 30
HT Phát triển hạ tầng và nền tảng số | 150
  Trung tâm dữ liệu, điện toán đám mây | 50
  Nền tảng tích hợp, chia sẻ dữ liệu của bộ, ngành | 50
  Kết nối Trục liên thông văn bản quốc gia | 50
DL Thông tin và dữ liệu số | 150
  Cơ sở dữ liệu chuyên ngành | 60
  Kết nối, chia sẻ với cơ sở dữ liệu quốc gia | 50
  Dữ liệu mở | 40
HD Hoạt động nội bộ trên môi trường số | 100
  Tỷ lệ văn bản điện tử có ký số | 50
  Hệ thống thông tin báo cáo của bộ, ngành | 50
DVC Cung cấp dịch vụ công trực tuyến | 200
  Tỷ lệ dịch vụ công trực tuyến mức độ 4 | 70
  Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 | 70
  Tích hợp, thanh toán trên Cổng Dịch vụ công quốc gia | 60
ATTT An toàn, an ninh mạng | 100
  Bảo đảm an toàn hệ thống thông tin theo cấp độ | 50
  Giám sát, ứng cứu sự cố an toàn thông tin mạng | 50
NL Đào tạo và phát triển nhân lực | 100
  Cán bộ chuyên trách chuyển đổi số | 50
  Đào tạo kỹ năng số cho cán bộ, công chức, viên chức | 50
"""


def fw_ministries(with_dvc, units):
    items = [x for x in outline(MINISTRIES) if with_dvc or x[0] != "DVC"]
    group = "có" if with_dvc else "không có"
    return framework(f"mic-dti-ministry-{'co' if with_dvc else 'khong'}-dvc-2020",
                     f"Bộ chỉ số đánh giá chuyển đổi số của bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ {group} dịch vụ công (QĐ 1726/QĐ-BTTTT), năm 2020",
                     "national", "ministry", 2020, mains(*items),
                     peer_group="co-dvc" if with_dvc else "khong-dvc", units=units)


TTH_DEPARTMENT = """
NT Nhận thức số | 100
  Lãnh đạo, chỉ đạo chuyển đổi số | 50
    Người đứng đầu chỉ đạo chuyển đổi số | 30
      Thủ trưởng đơn vị có văn bản chỉ đạo chuyển đổi số | 15
      Phân công lãnh đạo phụ trách chuyển đổi số | 15
    Kế hoạch chuyển đổi số năm 2023 của đơn vị | 20
      Ban hành kế hoạch đúng hạn | 10
      Tỷ lệ nhiệm vụ của kế hoạch hoàn thành | 10
  Tuyên truyền, phổ biến | 50
    Tuyên truyền trên trang thông tin điện tử của đơn vị | 25
      Chuyên mục chuyển đổi số | 10
      Số tin, bài về chuyển đổi số | 15
    Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10 | 25
      Tổ chức hoạt động hưởng ứng | 15
      Báo cáo kết quả hưởng ứng | 10
TC Thể chế số | 100
  Quy chế, quy định nội bộ | 50
    Quy chế sử dụng hệ thống thông tin | 25
      Quy chế quản lý, sử dụng hệ thống quản lý văn bản và điều hành | 15
      Quy chế bảo đảm an toàn thông tin | 10
    Quy trình nội bộ giải quyết thủ tục hành chính | 25
      Quy trình điện tử được phê duyệt | 15
      Tỷ lệ quy trình cập nhật trên hệ thống một cửa điện tử | 10
  Nguồn lực cho chuyển đổi số | 50
    Kinh phí | 30
      Bố trí kinh phí chuyển đổi số trong dự toán năm | 20
      Tỷ lệ giải ngân kinh phí chuyển đổi số | 10
    Cơ chế khuyến khích | 20
      Khen thưởng sáng kiến chuyển đổi số | 10
      Kết quả chuyển đổi số trong tiêu chí thi đua | 10
HT Hạ tầng và nền tảng số | 150
  Hạ tầng kỹ thuật | 60
    Thiết bị và kết nối | 30
      Tỷ lệ cán bộ có máy tính kết nối Internet | 15
      Kết nối mạng truyền số liệu chuyên dùng | 15
    Họp trực tuyến và trung tâm dữ liệu | 30
      Phòng họp trực tuyến kết nối với tỉnh | 15
      Hệ thống được đặt tại Trung tâm dữ liệu tỉnh | 15
  Nền tảng số dùng chung | 50 | các tiêu chí cộng 55 điểm (có điểm thưởng), chỉ số thành phần tối đa 50: điểm được giới hạn ở 50
    Sử dụng nền tảng dùng chung của tỉnh | 25
      Tích hợp dịch vụ trên nền tảng Hue-S | 15
      Kết nối qua nền tảng LGSP | 10
    Nền tảng số chuyên ngành | 20
      Ứng dụng nền tảng số chuyên ngành | 10
      Khai thác nền tảng số quốc gia | 10
    Điểm thưởng: giải pháp số của đơn vị được nhân rộng | 10
      Giải pháp được áp dụng tại đơn vị khác | 10
  Trang thông tin điện tử | 40
    Cung cấp thông tin theo Nghị định 42/2022/NĐ-CP | 25
      Đầy đủ thông tin bắt buộc | 15
      Cập nhật thông tin kịp thời | 10
    Khả năng truy cập | 15
      Tương thích thiết bị di động | 10
      Hỗ trợ người khuyết tật | 5
NL Nhân lực số | 100
  Cán bộ phụ trách chuyển đổi số | 50
    Bố trí cán bộ | 25
      Có cán bộ chuyên trách hoặc kiêm nhiệm chuyển đổi số | 15
      Cán bộ có trình độ chuyên ngành công nghệ thông tin | 10
    Đào tạo chuyên sâu | 25
      Cán bộ chuyên trách được đào tạo an toàn thông tin | 15
      Tham gia diễn đàn, hội thảo chuyên môn | 10
  Kỹ năng số của cán bộ, công chức | 50
    Tập huấn kỹ năng số | 30
      Tỷ lệ cán bộ, công chức, viên chức được tập huấn kỹ năng số | 20
      Tỷ lệ hoàn thành khóa học trên nền tảng MOOCs | 10
    Sử dụng thành thạo hệ thống dùng chung | 20
      Hệ thống quản lý văn bản và điều hành | 10
      Hệ thống thông tin giải quyết thủ tục hành chính | 10
ATTT An toàn thông tin mạng | 150
  Bảo đảm an toàn hệ thống thông tin theo cấp độ | 60
    Hồ sơ cấp độ | 30
      Hệ thống thông tin được phê duyệt cấp độ | 20
      Triển khai phương án theo hồ sơ được duyệt | 10
    Kiểm tra, đánh giá | 30
      Kiểm tra an toàn thông tin định kỳ | 15
      Khắc phục điểm yếu, lỗ hổng | 15
  Phòng, chống mã độc và giám sát | 50
    Phòng, chống mã độc | 25
      Tỷ lệ máy trạm cài phần mềm phòng, chống mã độc có quản trị tập trung | 25
    Giám sát an toàn thông tin | 25
      Kết nối hệ thống giám sát (SOC) của tỉnh | 15
      Xử lý cảnh báo an toàn thông tin | 10
  Ứng cứu sự cố | 40
    Phương án ứng cứu sự cố | 20
      Phương án ứng cứu sự cố được phê duyệt | 20
    Diễn tập | 20
      Tham gia diễn tập ứng cứu sự cố | 20
HD Hoạt động chính quyền số | 400
  Văn bản điện tử và điều hành | 120
    Văn bản điện tử | 60
      Tỷ lệ văn bản đi dưới dạng điện tử | 30
      Tỷ lệ văn bản được ký số | 30
    Hồ sơ công việc và báo cáo | 60
      Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng | 40
      Báo cáo định kỳ qua hệ thống thông tin báo cáo | 20
  Dịch vụ công trực tuyến | 160
    Dịch vụ công trực tuyến toàn trình | 60
      Tỷ lệ thủ tục hành chính cung cấp toàn trình | 30
      Tỷ lệ hồ sơ trực tuyến toàn trình | 30
    Thanh toán trực tuyến | 40
      Tỷ lệ hồ sơ thanh toán trực tuyến | 40
    Số hóa hồ sơ, kết quả | 60
      Tỷ lệ hồ sơ được số hóa | 30
      Tỷ lệ kết quả giải quyết được số hóa | 30
  Dữ liệu số | 120
    Cơ sở dữ liệu chuyên ngành | 60
      Cơ sở dữ liệu được xây dựng, cập nhật | 30
      Kết nối, chia sẻ qua nền tảng LGSP | 30
    Dữ liệu mở | 60
      Số bộ dữ liệu mở được công bố | 30
      Cập nhật dữ liệu lên Cổng dữ liệu của tỉnh | 30
"""


def fw_tth_department():
    return framework("tth-dti-department-2023", "Bộ chỉ số đánh giá chuyển đổi số của các sở, ban, ngành tỉnh Thừa Thiên Huế năm 2023",
                     "46", "department", 2023, mains(*outline(TTH_DEPARTMENT)), rating=BANDS)


TTH_COMMUNE = """
NT Nhận thức số | 100
  Lãnh đạo, chỉ đạo chuyển đổi số | 50
    Chủ tịch UBND xã trực tiếp chỉ đạo | 25
      Văn bản chỉ đạo, phân công nhiệm vụ chuyển đổi số | 15
      Chuyển đổi số trong nghị quyết của Đảng ủy xã | 10
    Kế hoạch chuyển đổi số năm 2023 của xã | 25
      Ban hành kế hoạch đúng hạn | 10
      Tỷ lệ nhiệm vụ của kế hoạch hoàn thành | 15
  Tuyên truyền về chuyển đổi số | 50
    Hệ thống thông tin cơ sở | 25
      Chuyên mục chuyển đổi số trên đài truyền thanh xã | 15
      Số tin, bài về chuyển đổi số | 10
    Mạng xã hội, nhóm cộng đồng | 25
      Nhóm mạng xã hội của xã, thôn, tổ dân phố | 10
      Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10 | 15
TC Thể chế số | 100
  Quy chế, quy định | 50
    Quy chế sử dụng hệ thống thông tin dùng chung | 25
      Quy chế được ban hành | 15
      Quy chế được thực hiện, kiểm tra | 10
    Quy trình nội bộ giải quyết thủ tục hành chính | 25
      Quy trình điện tử được cập nhật trên hệ thống một cửa | 25
  Nguồn lực cho chuyển đổi số | 50
    Kinh phí chuyển đổi số của xã | 30
      Bố trí kinh phí trong dự toán năm | 20
      Huy động nguồn lực xã hội hóa | 10
    Cơ chế khuyến khích | 20
      Khen thưởng tập thể, cá nhân tiêu biểu về chuyển đổi số | 20
HT Hạ tầng số | 100
  Hạ tầng tại trụ sở UBND xã | 50
    Thiết bị, kết nối | 30
      Tỷ lệ công chức có máy tính kết nối Internet | 15
      Kết nối mạng truyền số liệu chuyên dùng | 15
    Điểm cầu họp trực tuyến | 20
      Điểm cầu họp trực tuyến kết nối huyện, tỉnh | 20
  Hạ tầng số trên địa bàn | 50
    Mạng băng rộng | 25
      Tỷ lệ thôn, tổ dân phố được phủ sóng 4G | 10
      Tỷ lệ thôn, tổ dân phố có cáp quang | 15
    Camera giám sát kết nối Hue-S | 25
      Camera giám sát an ninh, trật tự kết nối nền tảng Hue-S | 25
NL Nhân lực số | 100
  Công chức cấp xã | 50
    Công chức phụ trách chuyển đổi số | 20
      Phân công công chức phụ trách chuyển đổi số | 20
    Kỹ năng số của cán bộ, công chức | 30
      Tỷ lệ cán bộ, công chức được tập huấn kỹ năng số | 15
      Tỷ lệ hoàn thành khóa học trên nền tảng MOOCs | 15
  Tổ công nghệ số cộng đồng | 50
    Thành lập và kiện toàn | 20
      Tỷ lệ thôn, tổ dân phố có Tổ công nghệ số cộng đồng | 20
    Hoạt động của Tổ | 30
      Số lượt hướng dẫn người dân sử dụng dịch vụ số | 15
      Thành viên Tổ được tập huấn | 15
ATTT An toàn thông tin mạng | 100
  Bảo đảm an toàn thông tin tại UBND xã | 60
    Phòng, chống mã độc | 30
      Tỷ lệ máy tính cài phần mềm phòng, chống mã độc có quản trị tập trung | 30
    Quy định, kiểm tra | 30
      Thực hiện quy chế bảo đảm an toàn thông tin | 15
      Không để xảy ra sự cố mất an toàn thông tin | 15
  Tuyên truyền an toàn thông tin cho người dân | 40
    Phòng, chống lừa đảo trực tuyến | 40
      Số buổi tuyên truyền phòng, chống lừa đảo trực tuyến | 20
      Cảnh báo trên hệ thống truyền thanh, mạng xã hội | 20
HD_CQS Hoạt động chính quyền số | 200
  Dịch vụ công trực tuyến | 80
    Tiếp nhận, giải quyết hồ sơ trực tuyến | 50
      Tỷ lệ hồ sơ trực tuyến toàn trình | 30
      Tỷ lệ hồ sơ giải quyết đúng hạn | 20
    Thanh toán trực tuyến | 30
      Tỷ lệ hồ sơ thanh toán phí, lệ phí trực tuyến | 30
  Văn bản điện tử và chữ ký số | 60
    Văn bản điện tử | 40
      Tỷ lệ văn bản đi được ký số | 20
      Tỷ lệ văn bản trao đổi dưới dạng điện tử | 20
    Hồ sơ công việc | 20
      Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng | 20
  Số hóa hồ sơ, dữ liệu | 60
    Số hóa sổ hộ tịch | 30
      Tỷ lệ sổ hộ tịch được số hóa | 30
    Số hóa kết quả giải quyết thủ tục hành chính | 30
      Tỷ lệ kết quả giải quyết được số hóa | 30
HD_KTS Hoạt động kinh tế số | 150
  Thương mại điện tử | 50
    Sản phẩm trên sàn thương mại điện tử | 50
      Sản phẩm OCOP, đặc sản trên sàn thương mại điện tử | 25
      Tỷ lệ hộ kinh doanh có gian hàng trực tuyến | 25
  Thanh toán không dùng tiền mặt | 50
    Chợ, điểm bán hàng thanh toán số | 25
      Tỷ lệ tiểu thương chấp nhận thanh toán bằng mã QR | 25
    Chi trả an sinh xã hội không dùng tiền mặt | 25
      Tỷ lệ chi trả trợ cấp không dùng tiền mặt | 25
  Hộ kinh doanh chuyển đổi số | 50
    Ứng dụng nền tảng số | 50
      Tỷ lệ hộ kinh doanh sử dụng hóa đơn điện tử | 25
      Tỷ lệ hộ kinh doanh dùng nền tảng số trong bán hàng | 25
HD_XHS Hoạt động xã hội số | 150
  Danh tính số | 50
    Định danh điện tử | 50
      Tỷ lệ người dân có tài khoản định danh điện tử mức 2 | 30
      Tỷ lệ tài khoản định danh được kích hoạt | 20
  Dịch vụ số của người dân | 50
    Thanh toán số | 25
      Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử | 25
    Y tế số, giáo dục số | 25
      Tỷ lệ dân số có hồ sơ sức khỏe điện tử | 15
      Tỷ lệ thanh toán học phí không dùng tiền mặt | 10
  Tương tác với chính quyền qua Hue-S | 50
    Phản ánh hiện trường | 50
      Tỷ lệ phản ánh hiện trường được xử lý đúng hạn | 30
      Tỷ lệ người dân sử dụng ứng dụng Hue-S | 20
"""


def fw_tth_commune():
    return framework("tth-dti-commune-2023", "Bộ chỉ số đánh giá chuyển đổi số cấp xã tỉnh Thừa Thiên Huế năm 2023",
                     "46", "commune", 2023, mains(*outline(TTH_COMMUNE)), rating=BANDS, pillars=pillars_22())


# ---------------------------------------------------------------- units
CO_DVC = [("BTC", "Bộ Tài chính"), ("NHNN", "Ngân hàng Nhà nước Việt Nam"), ("BKHDT", "Bộ Kế hoạch và Đầu tư"),
          ("BHXH", "Bảo hiểm xã hội Việt Nam"), ("BYT", "Bộ Y tế"), ("BCT", "Bộ Công Thương"), ("BTP", "Bộ Tư pháp"),
          ("BGTVT", "Bộ Giao thông vận tải"), ("BTTTT", "Bộ Thông tin và Truyền thông"), ("BTNMT", "Bộ Tài nguyên và Môi trường"),
          ("BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn"), ("BXD", "Bộ Xây dựng"), ("BLDTBXH", "Bộ Lao động - Thương binh và Xã hội"),
          ("BGDDT", "Bộ Giáo dục và Đào tạo"), ("BKHCN", "Bộ Khoa học và Công nghệ"), ("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
          ("BNV", "Bộ Nội vụ")]
KHONG_DVC = [("DTHVN", "Đài Truyền hình Việt Nam"), ("DTNVN", "Đài Tiếng nói Việt Nam"), ("TTXVN", "Thông tấn xã Việt Nam"),
             ("VHLKHXH", "Viện Hàn lâm Khoa học xã hội Việt Nam"), ("VHLKHCN", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam"),
             ("DHQGHN", "Đại học Quốc gia Hà Nội"), ("DHQGHCM", "Đại học Quốc gia Thành phố Hồ Chí Minh"),
             ("UBQLV", "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp")]
VALID_FROM = {"BTTTT": 2007, "UBQLV": 2018}  # created in those years; the others before 2000
COMMUNES = [("PHUHOI", "phường Phú Hội"), ("VINHNINH", "phường Vĩnh Ninh"), ("ANCUU", "phường An Cựu"),
            ("THUANHOA", "phường Thuận Hòa"), ("THUYDUONG", "phường Thủy Dương"), ("PHUBAI", "phường Phú Bài"),
            ("TUHA", "phường Tứ Hạ"), ("TTPHONGDIEN", "thị trấn Phong Điền"), ("TTSIA", "thị trấn Sịa"),
            ("QUANGTHANH", "xã Quảng Thành"), ("TTPHUDA", "thị trấn Phú Đa"), ("TTLANGCO", "thị trấn Lăng Cô"),
            ("TTKHETRE", "thị trấn Khe Tre"), ("TTALUOI", "thị trấn A Lưới")]


def unit_additions():
    rows = [(c, n, "ministry", "", VALID_FROM.get(c, 2000), 2024) for c, n in CO_DVC + KHONG_DVC]
    return rows + [(f"46.{c}", f"Ủy ban nhân dân {n}", "commune", "46", 2000, 2024) for c, n in COMMUNES]


def read_registry(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            rows += [r for r in csv.reader(f) if r and r[0] != "unit_code"]
    return [{"code": r[0], "name": r[1], "type": r[2], "parent": r[3], "from": int(r[4]),
             "to": int(r[5]) if r[5] else 9999} for r in rows]


# ---------------------------------------------------------------- points
def fit(values, maxima, index, total_max, step=D("0.005")):
    """Points p_k with q4(p_k / m_k) == values[k] and q4(sum / total_max) == index."""
    grid = lambda x, mode: (x / step).to_integral_value(mode) * step
    pts = [m * v for m, v in zip(maxima, values)]
    lo = [grid(m * (v - HALF), ROUND_CEILING) for m, v in zip(maxima, values)]
    hi = [grid(m * (v + HALF), ROUND_CEILING) - step for m, v in zip(maxima, values)]  # below the bound
    low, high = total_max * (index - HALF), total_max * (index + HALF)
    for k in sorted(range(len(pts)), key=lambda k: -maxima[k]):
        t = sum(pts)
        if t >= high:
            pts[k] = max(lo[k], pts[k] - grid(t - high, ROUND_DOWN) - step)
        elif t < low:
            pts[k] = min(hi[k], pts[k] + grid(low - t, ROUND_CEILING))
    assert low <= sum(pts) < high, (values, index)
    return pts


# ---------------------------------------------------------------- the published figures
PUB_2022 = [("48", "1.0000 0.9000 0.8253 0.8487 0.7578 0.8575 0.7836 0.5197", "0.8002"),
            ("79", "0.8917 0.9000 0.8258 0.6267 0.5580 0.8406 0.7611 0.3590", "0.7163"),
            ("22", "0.9581 0.9000 0.7648 0.6250 0.5382 0.8385 0.5904 0.4505", "0.7024"),
            ("46", "0.9500 0.9000 0.6823 0.6794 0.6423 0.8262 0.6787 0.3001", "0.6975"),
            ("92", "0.9000 0.8000 0.7233 0.7376 0.7226 0.7325 0.7556 0.2947", "0.6924")]
NA_UNITS = ["46.TTT", "46.BDT"]  # no administrative procedures of their own: HD.2 (online services) N/A
CAPPED = ("46.STTTT", "HT.2")  # fills the bonus criterion too: 55 points submitted, 50 scored
DEP_BANDS = [("Tốt", 6), ("Khá", 10), ("Trung bình", 4), ("Yếu", 0)]
COM_BANDS = [("Tốt", 3), ("Khá", 6), ("Trung bình", 4), ("Yếu", 1)]
PROFILE_22 = [1.2, 1.15, 1.0, 0.95, 0.95, 1.05, 0.9, 0.6]  # foundation strong, xã hội số weakest
PUB_MIN = {"BTC": "0.4944", "NHNN": "0.4932", "BKHDT": "0.4701", "BHXH": "0.4643", "BYT": "0.4582"}


def by_strength(rng, codes):
    """Provinces in a plausible order, strongest first: four tiers that overlap a little."""
    return sorted(codes, key=strength(rng, codes).get)


def gen_province_2022(rng, fw, provinces):
    subs, top = {}, [c for c, _, _ in PUB_2022]
    for code, vals, dti in PUB_2022:
        pts = fit([D(v) for v in vals.split()], [c["max"] for c in fw["criteria"]], D(dti), D(1000))
        subs[code] = {}
        for crit, p in zip(fw["criteria"], pts):
            split(rng, crit, p, out=subs[code])
    fixed = {15: ["38", "15"], 24: ["01"], 63: ["06"]}  # Thanh Hóa = Yên Bái 15th (no 16th), Hà Nội, Bắc Kạn
    rest = by_strength(rng, [p for p in provinces if p not in top and not any(p in v for v in fixed.values())])[::-1]
    places = [r for r in range(6, 64) if r != 16]
    for place, total in zip(places, distinct(rng, len(places), 400, 690)):
        for code in fixed.get(place) or [rest.pop()]:
            subs[code] = split(rng, root(fw), total, weights=PROFILE_22)
    assert not rest
    return subs


def gen_province_2020(rng, fw, provinces):
    subs = {"27": {}}  # Bắc Ninh: its three pillar indices are published
    maxima = [root(fw, m)["max"] for _, _, m in fw["pillars"]]
    for (_, _, members), pts in zip(fw["pillars"], fit([D("0.4449"), D("0.3668"), D("0.4052")], maxima, D("0.4096"), D(1000))):
        split(rng, root(fw, members), pts, out=subs["27"])
    totals = {"48": D("487.4"), "27": sum(subs["27"].values()), "30": D("350.4")}
    rest = by_strength(rng, [p for p in provinces if p not in totals and p != "46"])
    totals["46"] = distinct(rng, 1, 420, 480)[0]  # 2nd (illustrative)
    totals.update(zip(rest[:10], distinct(rng, 10, 352, 405)))  # 4th–13th, then Hải Dương 14th
    rest = rest[10:]
    need = D("0.3026") * 63 * 1000 - sum(totals.values())  # the mean of the 63 indices is exactly 0.3026
    assert need == need.quantize(CENT)
    while True:
        cents = rng.sample(range(18000, 34500), len(rest))
        shift, extra = divmod(int(need * 100) - sum(cents), len(rest))
        cents = sorted((c + shift for c in cents), reverse=True)
        cents = [c + (i < extra) for i, c in enumerate(cents)]
        if cents[0] < 35000 and cents[-1] > 15000:
            break
    totals.update(zip(rest, (D(c) / 100 for c in cents)))
    for code, total in totals.items():
        if code != "27":
            subs[code] = split(rng, root(fw), total)
    return subs


def gen_ministries(rng, fw, units, published):
    totals = {u: D(v) * root(fw)["max"] for u, v in published.items()}
    others = [u for u in units if u not in totals]
    top = min(totals.values())
    totals.update(zip(others, distinct(rng, len(others), top * D("0.55"), top - 2)))
    return {u: split(rng, root(fw), t) for u, t in totals.items()}


def gen_tth(rng, fw, units, bands, na_units=(), na=frozenset(), capped=None, shuffle=True):
    """Illustrative: distinct target percentages, so many units per band; na_units without the `na`
    components (N/A); `capped` = (unit, component) whose indicators are all filled to their
    maxima although they add up above the component's max (its points are then the max)."""
    ranges = {"Tốt": (81, 92), "Khá": (66, 79.5), "Trung bình": (51, 64.5), "Yếu": (40, 49.5)}
    order = [u for u in units if not capped or u != capped[0]]
    if shuffle:
        rng.shuffle(order)
    order = ([capped[0]] if capped else []) + order  # the bands are handed out in this order, best first
    pcts = [p for label, n in bands if n for p in distinct(rng, n, *ranges[label])]
    assert len(pcts) == len(units)
    subs, node = {}, root(fw)
    for unit, pct in zip(order, pcts):
        skip = na if unit in na_units else frozenset()
        total = (capacity(node, skip) * pct / 100).quantize(CENT)
        if capped and unit == capped[0]:
            comp = next(n for m in fw["criteria"] for n in m["children"] if n["code"] == capped[1])
            subs[unit] = split(rng, node, total - comp["max"], skip | {comp["code"]})
            subs[unit].update({x["code"]: x["max"] for x in leaves(comp)})
        else:
            subs[unit] = split(rng, node, total, skip)
    return subs



# ---------------------------------------------------------------- verification: re-read OUTDIR, score exactly
def verify(outdir, framework_files, submission_files, registry_paths):
    """Score every unit from the files in OUTDIR and compare with the published figures."""
    registry = read_registry(registry_paths)
    names = {u["code"]: u["name"] for u in registry}
    checks, problems, over = [], [], {}

    def check(what, expected, got):
        checks.append((what, str(expected), str(got), str(expected) == str(got)))

    overlap = overlapping(registry)
    for code in sorted({u["code"] for u in registry}):  # valid codes, NFC names, no overlapping rows
        if not CODE.fullmatch(code) or code in overlap:
            problems.append(f"unit code {code} is invalid or its rows overlap")
    problems += [f"{u['code']}: name not NFC" for u in registry if unicodedata.normalize("NFC", u["name"]) != u["name"]]
    values, found = read_values(submission_files, r"N/A|[0-9]+(\.[0-9]{1,2}|\.[0-9]{4})?")
    problems += found
    results, claimed = {}, {}
    for path in framework_files:
        fw = read_yaml(path)
        found, over[fw["code"]] = structure_problems(fw)
        problems += [f"{fw['code']}: {p}" for p in found]
        for year in fw["years"]:
            in_scope = [u for u in registry if u["type"] == fw["unit_type"] and u["from"] <= year <= u["to"]
                        and (fw["evaluator"] == "national" or u["parent"] == fw["evaluator"])]
            units = fw["units"] or [u["code"] for u in in_scope]
            problems += [f"{fw['code']}: {u} is not a {fw['unit_type']} valid in {year}"
                         for u in units if u not in {x["code"] for x in in_scope}]
            for u in units:
                key = (fw["evaluator"], fw["unit_type"], year, u)
                if key in claimed:
                    problems.append(f"{u} is evaluated by {claimed[key]} and {fw['code']}")
                claimed[key] = fw["code"]
            indicators = {x["code"] for c in fw["criteria"] for x in leaves(c)}
            res = results[fw["code"]] = {}
            for u in units:
                got = values.get((year, u), {})
                if set(got) != indicators:
                    problems.append(f"{fw['code']} {year}: {u} has {len(got)} values for {len(indicators)} indicators")
                    continue
                seen = {}
                tops = {c["code"]: score(c, got, seen) for c in fw["criteria"]}
                total, cap = sum(s for s, _, _ in tops.values()), sum(m for _, m, a in tops.values() if a)
                pillars = {p: Fraction(sum(tops[c][0] for c in m)) / Fraction(sum(tops[c][1] for c in m))
                           for p, _, m in fw["pillars"]}
                pct = 100 * Fraction(total) / Fraction(cap)
                rating = next((label for label, least in fw["rating"] if pct >= least), None)
                res[u] = {"total": total, "max": cap, "index": Fraction(total) / Fraction(cap), "tops": tops,
                          "nodes": seen, "pillars": pillars, "rating": rating}
            rank(res)  # on the exact index
    problems += [f"{y} {u}: submitted but evaluated by no framework" for y, u in values
                 if not any(k[2:] == (y, u) for k in claimed)]

    # -- published figures
    dti22, dti20 = results["mic-dti-province-2022"], results["mic-dti-province-2020"]
    for place, (code, vals, dti) in enumerate(PUB_2022, 1):
        r = dti22[code]
        for (crit, (s, m, _)), v in zip(r["tops"].items(), vals.split()):
            check(f"DTI 2022 {names[code]} {crit}", v, q4(s / m))
        check(f"DTI 2022 {names[code]} DTI, rank", f"{dti}, {place}", f"{q4(r['index'])}, {r['rank']}")
    check("DTI 2022 Thanh Hóa, Yên Bái: same exact index, rank", "True, 15, 15",
          f"{dti22['38']['index'] == dti22['15']['index']}, {dti22['38']['rank']}, {dti22['15']['rank']}")
    check("DTI 2022 ranks 16 (skipped) / 17", "0 / 1", f"{sum(r['rank'] == 16 for r in dti22.values())} / "
                                                        f"{sum(r['rank'] == 17 for r in dti22.values())}")
    check("DTI 2022 Hà Nội rank", 24, dti22["01"]["rank"])
    check("DTI 2022 Bắc Kạn rank (alone last), provinces", "63, 63",
          f"{dti22['06']['rank']}, {len(dti22)}" if [r["rank"] for r in dti22.values()].count(63) == 1 else "tie")
    bn = dti20["27"]
    check("DTI 2020 Bắc Ninh DTI, rank", "0.4096, 3", f"{q4(bn['index'])}, {bn['rank']}")
    check("DTI 2020 Bắc Ninh CQS, KTS, XHS", "0.4449, 0.3668, 0.4052", ", ".join(str(q4(v)) for v in bn["pillars"].values()))
    check("DTI 2020 Đà Nẵng DTI, rank", "0.4874, 1", f"{q4(dti20['48']['index'])}, {dti20['48']['rank']}")
    check("DTI 2020 Hải Dương DTI, rank", "0.3504, 14", f"{q4(dti20['30']['index'])}, {dti20['30']['rank']}")
    check("DTI 2020 mean of the 63 provinces' indices", "0.3026, 63",
          f"{q4(sum(r['index'] for r in dti20.values()) / len(dti20))}, {len(dti20)}")
    co, khong = results["mic-dti-ministry-co-dvc-2020"], results["mic-dti-ministry-khong-dvc-2020"]
    for place, (code, v) in enumerate(PUB_MIN.items(), 1):
        check(f"DTI 2020 co-dvc {names[code]}", f"{v}, {place}", f"{q4(co[code]['index'])}, {co[code]['rank']}")
    check("DTI 2020 khong-dvc Đài Truyền hình Việt Nam (on 800)", "0.2995, 1, 800",
          f"{q4(khong['DTHVN']['index'])}, {khong['DTHVN']['rank']}, {khong['DTHVN']['max']}")
    check("DTI 2020 ministry groups share no unit", "True", not set(co) & set(khong))
    # -- the illustrative provincial DTI: N/A, a cap, ratings
    dep, com = results["tth-dti-department-2023"], results["tth-dti-commune-2023"]
    for u in NA_UNITS:
        check(f"2023 {names[u]}: HD.2 N/A → HD, total max", "False, 240, 840",
              f"{dep[u]['nodes']['HD.2'][2]}, {dep[u]['nodes']['HD'][1]}, {dep[u]['max']}")
    node = dep[CAPPED[0]]["nodes"]
    check(f"2023 {names[CAPPED[0]]}: {CAPPED[1]} submitted → scored", "55 → 50", f"{fmt(node[CAPPED[1] + ':raw'])} → {fmt(node[CAPPED[1]][0])}")
    check("over-max criteria (children's maxima above the max)", "tth-dti-department-2023 HT.2 (25+20+10 > 50)",
          "; ".join(f"{k} {', '.join(v)}" for k, v in over.items() if v))
    for code, res, bands in (("department", dep, DEP_BANDS), ("commune", com, COM_BANDS)):
        got = [r["rating"] for r in res.values()]
        check(f"2023 {code} ratings", ", ".join(f"{b} {n}" for b, n in bands), ", ".join(f"{b} {got.count(b)}" for b, _ in bands))
    ties = [f"{code}: {' = '.join(sorted(u for u in res if res[u]['index'] == r['index']))}"
            for code, res in results.items() for r in res.values()]
    check("ties in exact index (the whole DTI demo)", "mic-dti-province-2022: 15 = 38", "; ".join(sorted({t for t in ties if "=" in t})))
    check("problems (files, units, codes, completeness)", "none", "; ".join(problems[:5]) or "none")
    return all(ok for *_, ok in checks), checks, results




# ---------------------------------------------------------------- README section
def readme(fws, sub_files, results, names):
    lines = ["## The DTI frameworks (2020 →)", "",
             "Written by `scripts/dti_demo.py` (deterministic: fixed seed, exact decimals, stdlib only), which then",
             "re-reads the files it wrote, scores every unit on its own (SPEC §4: caps at every level, N/A, applicable",
             "maxima, pillars, competition ranks on the exact index) and checks every published figure below;",
             "`python scripts/dti_demo.py /tmp/dti` prints the table. Every indicator is an appraised score",
             "(`rule: {type: score}`, at most 4 decimals); a criterion holds sub-criteria or indicators, and its",
             "children's maxima add up to its own max except in the one place noted.", "",
             "| file / code | evaluator | unit_type (peer group) | years | main indicators (max) | total | indicators (depth below a main indicator) | bands | pillars |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [framework_row(fw) for fw in fws]
    dep, com = results["tth-dti-department-2023"], results["tth-dti-commune-2023"]
    best = lambda res: min(res, key=lambda u: (res[u]["rank"], u))
    lines += ["", "Notes:",
              "* DTI 2022 (QĐ 922/QĐ-BTTTT): the eight scored main indicators and their maxima are the real ones (the",
              "  ninth, *đô thị thông minh*, is assessed with 0 points and left out); the components and criteria below",
              "  them are abridged and illustrative (the real set has 98 components). Pillars overlap: each is the five",
              "  foundation indicators plus its own activity indicator.",
              "* DTI 2020 (QĐ 1726/QĐ-BTTTT): three disjoint pillars of seven main indicators (`CQS.*` 400, `KTS.*` 300,",
              "  `XHS.*` 300); the split of each pillar's points over its seven indicators and everything below is illustrative.",
              "* Ministries 2020: two frameworks of one evaluator, unit_type and year that share no unit: `co-dvc` (17",
              "  ministries and ministry-level bodies with public services, 8 main indicators on 1,000) and `khong-dvc` (8",
              "  bodies without, the same minus `DVC`, scored on their own maximum of 800). Structure illustrative.",
              "* Thừa Thiên Huế 2023 (evaluator `\"46\"`): main indicator → component → criterion → indicator. In the",
              "  departments' `HT.2` (*nền tảng số dùng chung*) the criteria add up to 55 (with a 10-point bonus criterion)",
              f"  for a max of 50: `{CAPPED[0]}` submits 55 and scores 50. `HD.2` (online public services) is `N/A` for",
              f"  {' and '.join('`' + u + '` ' + names[u] for u in NA_UNITS)} (no administrative procedures of their own): their",
              "  `HD` max shrinks to 240 and their total max to 840. Rating bands Tốt 80, Khá 65, Trung bình 50, Yếu 0 (illustrative).",
              "", "## Units added to `units/units.csv`", "",
              f"* {len(CO_DVC) + len(KHONG_DVC)} ministries and ministry-level bodies (`unit_type=ministry`, empty `parent_code`, ASCII",
              "  abbreviations: `BTC`, `NHNN`, `BKHDT`, `BHXH`, `BYT`, … `DTHVN`, `TTXVN`, `DHQGHN`, `UBQLV`), valid 2000–2024",
              "  (`BTTTT` from 2007, `UBQLV` from 2018, the years they were created).",
              f"* {len(COMMUNES)} communes, wards and towns of Thừa Thiên Huế (`unit_type=commune`, parent `46`, codes",
              "  `46.<ASCII name>`, `46.TT…` for thị trấn: `46.PHUHOI` Ủy ban nhân dân phường Phú Hội, `46.TTALUOI` Ủy ban nhân",
              "  dân thị trấn A Lưới …), names as of 2023; valid 2000–2024 (the years before 2023 are illustrative, the 2025",
              "  reform merged them).", "",
              "## DTI submissions", "", "| file | layout | what it holds |", "|---|---|---|"]
    what = {"mic_dti_tinh_2020.csv": "the 63 provinces, DTI 2020",
            "mic_dti_bo_nganh_2020.csv": "the 25 ministries of both peer groups, DTI 2020",
            "mic_dti_tinh_2022.csv": "the 63 provinces, DTI 2022",
            "thuathienhue_dti_so_nganh_2023.csv": f"the {len(dep)} departments of Thừa Thiên Huế valid in 2023; `N/A` for all `HD.2.*` of {', '.join(NA_UNITS)}",
            "thuathienhue_dti_xa_2023.csv": f"the {len(com)} communes of Thừa Thiên Huế"}
    lines += [f"| `{p.parent.name}/{p.name}` | long CSV, comma, decimal points, no `note` | {what[p.name]} |" for p in sub_files]
    lines += ["", "Every evaluated unit has exactly one value for every indicator of its framework; no value has exactly",
              "three decimals (written with four: `77.9550`), none has a thousands separator.", "",
              "## DTI: published vs illustrative", "",
              "These come out of the files **exactly** (index = total / applicable max, 4 decimals half up; ranks on the",
              "exact index, ties sharing a rank):", "", "| figure | source |", "|---|---|"]
    for code, vals, dti in PUB_2022:
        lines.append(f"| DTI 2022 `{code}` {names[code]}: NT, TC, HT, NL, ATTT, HD_CQS, HD_KTS, HD_XHS = "
                     f"{', '.join(vals.split())} → {dti}, rank {[c for c, _, _ in PUB_2022].index(code) + 1} | DTI 2022 results (dti.gov.vn) |")
    lines += ["| DTI 2022 `38` Thanh Hóa and `15` Yên Bái tie at 15th (same exact index; no 16th); `01` Hà Nội 24th; `06` Bắc Kạn 63rd | DTI 2022 results |",
              "| DTI 2020 `27` Bắc Ninh 0.4096, 3rd; pillars CQS 0.4449, KTS 0.3668, XHS 0.4052 | DTI 2020 results (Bộ TT&TT) |",
              "| DTI 2020 `48` Đà Nẵng 0.4874, 1st; `30` Hải Dương 0.3504, 14th; mean of the 63 indices 0.3026 | DTI 2020 results |",
              "| DTI 2020 ministries with public services: `BTC` 0.4944, `NHNN` 0.4932, `BKHDT` 0.4701, `BHXH` 0.4643, `BYT` 0.4582 (1st–5th); without: `DTHVN` 0.2995, 1st | DTI 2020 results |",
              "", "**Illustrative**: every other unit's points and rank, every split below a published value, all",
              "components, criteria and indicators below the main indicators, the ministries' structure and lists, the",
              "whole Thừa Thiên Huế 2023 evaluation. There, the departments are rated "
              + ", ".join(f"{n} {b}" for b, n in DEP_BANDS if n) + f" (first `{best(dep)}` {names[best(dep)]}, {q4(dep[best(dep)]['index'])}),",
              "the communes " + ", ".join(f"{n} {b}" for b, n in COM_BANDS if n) + f" (first `{best(com)}` {names[best(com)]}, {q4(com[best(com)]['index'])}).",
              "", "How the points were chosen: a published value v of a main indicator (or pillar) with max m was rounded",
              "half up, so its points lie in [m(v − 0.00005), m(v + 0.00005)). The script starts from m·v and moves inside",
              "these intervals (steps of 0.005) until the total also rounds to the published index: TP.HCM's rounded values",
              "add up to 716.355 points (0.7164), so `HD_CQS` is 168.11 instead of 168.12 (still 0.8406) and the total",
              "716.345 gives the published 0.7163. The points are then spread over components and indicators without",
              "reaching any cap. The other units get distinct random totals in the places the published ranks leave (below",
              "Cần Thơ in 2022; in 2020 the 49 provinces after Hải Dương are shifted so that the 63 totals add up to exactly",
              "19,063.80 points, a mean index of exactly 0.3026). The DTI data add one tie in exact index to the demo:",
              "Thanh Hóa and Yên Bái 2022."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main
def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    out, rng = Path(argv[1]), random.Random(SEED)
    registry_paths = [REPO / "data" / "units" / "units.csv"]
    registry = read_registry(registry_paths)
    valid = lambda t, year, parent=None: sorted(u["code"] for u in registry if u["type"] == t and u["from"] <= year <= u["to"]
                                                and (parent is None or u["parent"] == parent))
    co, khong = fw_ministries(True, [c for c, _ in CO_DVC]), fw_ministries(False, [c for c, _ in KHONG_DVC])
    plan = [("2020/mic_dti_tinh_2020.csv", [(fw_province_2020(), lambda fw: gen_province_2020(rng, fw, valid("province", 2020)))]),
            ("2020/mic_dti_bo_nganh_2020.csv", [(co, lambda fw: gen_ministries(rng, fw, fw["units"], PUB_MIN)),
                                                (khong, lambda fw: gen_ministries(rng, fw, fw["units"], {"DTHVN": "0.2995"}))]),
            ("2022/mic_dti_tinh_2022.csv", [(fw_province_2022(), lambda fw: gen_province_2022(rng, fw, valid("province", 2022)))]),
            ("2023/thuathienhue_dti_so_nganh_2023.csv", [(fw_tth_department(), lambda fw: gen_tth(
                rng, fw, valid("department", 2023, "46"), DEP_BANDS, NA_UNITS, frozenset({"HD.2"}), CAPPED))]),
            ("2023/thuathienhue_dti_xa_2023.csv", [(fw_tth_commune(), lambda fw: gen_tth(
                rng, fw, [f"46.{c}" for c, _ in COMMUNES], COM_BANDS, shuffle=False))])]  # city wards first
    fws, fw_files, sub_files = [], [], []
    for name, parts in plan:
        made = [(fw, generate(fw)) for fw, generate in parts]
        for fw, _ in made:
            fws.append(fw)
            fw_files.append(write_framework(out, fw))
        sub_files.append(out / "submissions" / name)
        write_submissions(sub_files[-1], made)
    with open(out / "units_additions.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(unit_additions())
    ok, checks, results = verify(out, fw_files, sub_files, registry_paths + [out / "units_additions.csv"])
    names = {u["code"]: u["name"] for u in read_registry(registry_paths + [out / "units_additions.csv"])}
    (out / "README_dti.md").write_text(readme(fws, sub_files, results, names), encoding="utf-8")
    print_table(checks)
    print(f"\n{len(fw_files)} frameworks, {len(sub_files)} submission files, units_additions.csv, README_dti.md in {out}")
    print("all published figures hold" if ok else "SOME FIGURES DO NOT HOLD")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
