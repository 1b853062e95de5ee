"""Demo categories and products for `manage.py seed_demo`, with generated photos; and, with
--scale, synthetic products in bulk for benchmarks.

Every demo enterprise (enterprises.demo) makes one product line; its products are drawn from that
line's catalogue below with the run's seeded random generator, in a fixed order, whether or not
they exist yet, so a rerun draws the same values and only adds what is missing."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model

from cms.services import image_create
from enterprises import demo as enterprise_demo
from enterprises.models import Enterprise
from marketplace import demo_bulk_orders, demo_joint_offers, demo_orders, services
from marketplace.models import Category, Product, ProductPhoto

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

# Tests shrink these to keep image generation fast.
PHOTO_SIZE = (800, 600)
POOL_PER_CATEGORY = 10
BENCH_SLUG_PREFIX = "bench-produk-"
BENCH_BATCH = 2_000

# (slug, name, English name, subcategories as (slug, name, English name))
CATEGORIES = [
    ("makanan-minuman", "Makanan & Minuman", "Food & Drink", [
        ("keripik", "Keripik & Kerupuk", "Chips & Crackers"),
        ("kopi", "Kopi", "Coffee"),
        ("gula-madu", "Gula & Madu", "Sugar & Honey"),
        ("kue-camilan", "Kue & Camilan", "Cakes & Snacks"),
        ("tempe-tahu", "Tempe & Tahu", "Tempeh & Tofu"),
        ("bumbu-sambal", "Bumbu, Garam & Sambal", "Spices, Salt & Sambal"),
        ("minuman-jamu", "Minuman & Jamu", "Drinks & Herbal Tonics"),
        ("ikan-olahan", "Ikan Olahan", "Processed Fish"),
    ]),
    ("kerajinan", "Kerajinan", "Crafts", [
        ("anyaman-bambu", "Anyaman Bambu & Pandan", "Woven Bamboo & Pandan"),
        ("rotan", "Rotan", "Rattan"),
        ("ukiran-kayu", "Ukiran Kayu", "Wood Carving"),
        ("gerabah", "Gerabah", "Pottery"),
        ("kerajinan-kulit", "Kerajinan Kulit", "Leather Goods"),
    ]),
    ("fashion", "Fashion", "Fashion", [
        ("batik", "Batik", "Batik"),
        ("tenun", "Tenun", "Woven Cloth"),
        ("pakaian", "Pakaian Jahit", "Tailored Clothing"),
        ("tas-aksesori", "Tas & Aksesori", "Bags & Accessories"),
    ]),
    ("pertanian", "Pertanian", "Farming", [
        ("sayur", "Sayur", "Vegetables"),
        ("buah", "Buah", "Fruit"),
        ("pupuk-bibit", "Pupuk & Bibit", "Fertiliser & Seedlings"),
    ]),
    ("jasa", "Jasa", "Services", [
        ("foto-desain", "Foto & Desain", "Photography & Design"),
    ]),
]
TOP_OF = {sub[0]: top[0] for top in CATEGORIES for sub in top[3]}

# Photo colours per top category: gradient from, gradient to, shape.
PALETTES = {
    "makanan-minuman": ((250, 196, 112), (206, 98, 48), (255, 243, 222)),
    "kerajinan": ((214, 186, 136), (122, 86, 54), (247, 236, 214)),
    "fashion": ((112, 122, 196), (52, 44, 112), (236, 224, 250)),
    "pertanian": ((168, 214, 120), (50, 122, 72), (238, 250, 226)),
    "jasa": ((132, 200, 226), (38, 90, 150), (228, 244, 252)),
}


@dataclass(frozen=True)
class Template:
    title: str
    category: str
    unit: str
    low: int
    high: int
    description: str


T = Template
CATALOGUE = {
    "keripik": [
        T("Keripik Singkong Original 250 g", "keripik", "pack", 10_000, 15_000,
          "Singkong pilihan diiris tipis dan digoreng renyah. Gurih asin, tanpa pengawet."),
        T("Keripik Singkong Balado 250 g", "keripik", "pack", 12_000, 17_000,
          "Keripik singkong berbumbu balado dari cabai segar, pedas manis."),
        T("Keripik Singkong Bawang 250 g", "keripik", "pack", 11_000, 16_000,
          "Renyah dengan aroma bawang putih goreng dan daun jeruk."),
        T("Keripik Pisang Manis 200 g", "keripik", "pack", 12_000, 18_000,
          "Pisang kepok dibalut karamel gula kelapa, manisnya pas."),
        T("Keripik Singkong Curah 1 kg", "keripik", "kg", 38_000, 52_000,
          "Kemasan curah untuk warung dan reseller, gurih original."),
        T("Emping Melinjo 500 g", "keripik", "pack", 45_000, 65_000,
          "Emping melinjo tipis ditumbuk tangan, tinggal digoreng."),
        T("Rengginang Ketan Mentah 500 g", "keripik", "pack", 18_000, 26_000,
          "Rengginang ketan terasi yang sudah dijemur kering, siap goreng."),
        T("Lanting Bumbu 250 g", "keripik", "pack", 10_000, 14_000,
          "Lanting singkong berbentuk cincin, bumbu bawang dan kencur."),
    ],
    "tempe": [
        T("Tempe Mendoan Mentah isi 10", "tempe-tahu", "pack", 8_000, 12_000,
          "Tempe tipis khas Banyumas, dibungkus daun pisang, siap dicelup adonan."),
        T("Tempe Daun Kedelai Lokal", "tempe-tahu", "pack", 5_000, 8_000,
          "Tempe dibungkus daun jati dan pisang, fermentasi dua hari."),
        T("Keripik Tempe Original 200 g", "keripik", "pack", 12_000, 16_000,
          "Tempe diiris setipis kertas, digoreng kering dengan tepung beras."),
        T("Keripik Tempe Pedas 200 g", "keripik", "pack", 13_000, 17_000,
          "Keripik tempe dengan bumbu cabai dan daun jeruk."),
        T("Tepung Bumbu Mendoan 250 g", "bumbu-sambal", "pack", 6_000, 9_000,
          "Campuran tepung, ketumbar, dan daun bawang untuk mendoan yang lemas gurih."),
        T("Tempe Kedelai Bungkus Plastik 500 g", "tempe-tahu", "pack", 6_000, 9_000,
          "Tempe padat untuk digoreng atau dibacem, dibuat setiap pagi."),
    ],
    "gula": [
        T("Gula Kelapa Cetak 1 kg", "gula-madu", "kg", 18_000, 26_000,
          "Gula kelapa dicetak dalam batok, legit dan harum karamel."),
        T("Gula Semut Organik 500 g", "gula-madu", "pack", 25_000, 35_000,
          "Gula kelapa kristal yang mudah larut, untuk kopi, teh, dan kue."),
        T("Gula Semut Jahe 250 g", "gula-madu", "pack", 18_000, 25_000,
          "Gula semut dengan jahe emprit, tinggal seduh air panas."),
        T("Gula Kelapa Curah 10 kg", "gula-madu", "sack", 170_000, 240_000,
          "Untuk industri kecap, jamu, dan bakery. Kadar air dijaga rendah."),
        T("Nira Kelapa Cair 500 ml", "gula-madu", "bottle", 15_000, 22_000,
          "Gula kelapa cair untuk es dawet dan minuman."),
        T("Gula Semut Sachet isi 20", "gula-madu", "box", 15_000, 22_000,
          "Sachet 8 g untuk kedai kopi dan hotel."),
    ],
    "kue": [
        T("Getuk Goreng Original 500 g", "kue-camilan", "box", 15_000, 22_000,
          "Getuk singkong digoreng, renyah di luar dan legit di dalam."),
        T("Geplak Aneka Rasa isi 20", "kue-camilan", "box", 20_000, 30_000,
          "Geplak kelapa warna-warni, rasa pandan, stroberi, dan durian."),
        T("Tiwul Instan 500 g", "kue-camilan", "pack", 12_000, 18_000,
          "Tiwul singkong kering, cukup dikukus 15 menit."),
        T("Gatot Kering 500 g", "kue-camilan", "pack", 12_000, 17_000,
          "Gaplek fermentasi khas Gunungkidul, kenyal setelah dikukus."),
        T("Wajik Ketan Gula Kelapa", "kue-camilan", "box", 18_000, 28_000,
          "Ketan dimasak dengan gula kelapa dan santan, dibungkus kertas minyak."),
        T("Nopia Bawang Merah isi 10", "kue-camilan", "pack", 15_000, 20_000,
          "Kue kering berisi bawang goreng dan gula merah, oleh-oleh khas."),
    ],
    "minuman": [
        T("Jahe Merah Instan 250 g", "minuman-jamu", "pack", 18_000, 25_000,
          "Serbuk jahe merah dengan gula kelapa, menghangatkan badan."),
        T("Wedang Rempah Celup isi 10", "minuman-jamu", "box", 20_000, 30_000,
          "Secang, jahe, kayu manis, dan cengkeh dalam kantong celup."),
        T("Kunyit Asam 500 ml", "minuman-jamu", "bottle", 10_000, 15_000,
          "Jamu kunyit asam segar, dibuat tanpa pengawet, simpan di kulkas."),
        T("Beras Kencur 500 ml", "minuman-jamu", "bottle", 10_000, 15_000,
          "Jamu beras kencur segar untuk stamina."),
        T("Temulawak Instan 250 g", "minuman-jamu", "pack", 18_000, 24_000,
          "Serbuk temulawak dengan gula aren."),
        T("Sirup Jahe Serai 600 ml", "minuman-jamu", "bottle", 25_000, 35_000,
          "Sirup jahe dan serai, cukup dicampur air hangat."),
    ],
    "bumbu": [
        T("Garam Laut Amed 250 g", "bumbu-sambal", "pack", 20_000, 30_000,
          "Garam laut dijemur di palung kayu kelapa, rasa asin yang lembut."),
        T("Garam Kristal Amed 1 kg", "bumbu-sambal", "kg", 45_000, 65_000,
          "Kristal garam besar untuk dapur dan pengawetan ikan."),
        T("Sambal Bawang Botol 200 g", "bumbu-sambal", "bottle", 18_000, 25_000,
          "Sambal bawang goreng dengan garam laut, pedas nendang."),
        T("Bumbu Pecel 250 g", "bumbu-sambal", "pack", 12_000, 18_000,
          "Sambal kacang pecel, tinggal diseduh air hangat."),
        T("Garam Bambu Bakar 100 g", "bumbu-sambal", "pack", 25_000, 35_000,
          "Garam laut dipanggang dalam bambu, aroma khas."),
        T("Sambal Matah Botol 150 g", "bumbu-sambal", "bottle", 20_000, 28_000,
          "Sambal matah Bali dari bawang merah, serai, dan cabai rawit."),
    ],
    "kopi": [
        T("Kopi Arabika Bubuk 200 g", "kopi", "pack", 45_000, 65_000,
          "Arabika petik merah, sangrai medium, giling sedang untuk tubruk dan V60."),
        T("Kopi Arabika Biji Sangrai 250 g", "kopi", "pack", 55_000, 80_000,
          "Biji sangrai medium, dikirim maksimal seminggu setelah disangrai."),
        T("Kopi Robusta Bubuk 250 g", "kopi", "pack", 25_000, 40_000,
          "Robusta kental dengan rasa cokelat, cocok untuk kopi susu."),
        T("Biji Kopi Mentah Arabika 1 kg", "kopi", "kg", 110_000, 150_000,
          "Green bean arabika grade 1, kadar air 12 persen, untuk roaster."),
        T("Biji Kopi Mentah Robusta 1 kg", "kopi", "kg", 55_000, 75_000,
          "Green bean robusta petik merah, sortasi tangan."),
        T("Kopi Drip Bag isi 10", "kopi", "box", 45_000, 65_000,
          "Kopi seduh praktis, tinggal gantung di cangkir dan tuang air panas."),
        T("Kopi Lanang Bubuk 200 g", "kopi", "pack", 50_000, 70_000,
          "Peaberry yang dipisahkan tangan, rasa lebih tajam."),
    ],
    "madu": [
        T("Madu Hutan 500 ml", "gula-madu", "bottle", 90_000, 140_000,
          "Madu lebah liar dari hutan, disaring tanpa dipanaskan."),
        T("Madu Klanceng 250 ml", "gula-madu", "bottle", 85_000, 130_000,
          "Madu lebah tanpa sengat, rasa asam segar."),
        T("Madu Randu 1 kg", "gula-madu", "bottle", 110_000, 160_000,
          "Madu dari bunga randu (kapuk), manis lembut."),
        T("Sarang Madu 300 g", "gula-madu", "pack", 75_000, 110_000,
          "Honeycomb utuh dalam kotak, bisa dimakan langsung."),
        T("Madu Kelengkeng 500 ml", "gula-madu", "bottle", 80_000, 120_000,
          "Madu dengan aroma buah kelengkeng yang khas."),
        T("Lilin Lebah Murni 250 g", "gula-madu", "pack", 35_000, 50_000,
          "Beeswax untuk membatik, lilin, dan kerajinan."),
    ],
    "batik": [
        T("Kain Batik Tulis 2 m", "batik", "sheet", 350_000, 1_200_000,
          "Batik tulis tangan di kain katun primisima, dikerjakan tiga sampai enam minggu."),
        T("Kain Batik Cap 2 m", "batik", "sheet", 120_000, 250_000,
          "Batik cap di kain katun, warna tidak luntur."),
        T("Kemeja Batik Pria Lengan Pendek", "batik", "pcs", 150_000, 275_000,
          "Kemeja batik cap dengan furing, ukuran M sampai XXL."),
        T("Selendang Batik Sutra", "batik", "pcs", 250_000, 600_000,
          "Selendang sutra ringan dengan motif tulis."),
        T("Sarung Batik Cap", "batik", "pcs", 90_000, 160_000,
          "Sarung batik cap untuk sehari-hari dan hantaran."),
        T("Kain Batik Kombinasi Tulis Cap 2 m", "batik", "sheet", 200_000, 400_000,
          "Perpaduan cap dan tulis tangan, harga terjangkau dengan detail halus."),
        T("Taplak Meja Batik", "batik", "pcs", 75_000, 140_000,
          "Taplak meja makan 150 x 90 cm, motif batik cap."),
    ],
    "tenun": [
        T("Kain Tenun Ikat 2 m", "tenun", "sheet", 300_000, 750_000,
          "Tenun ikat dengan alat tenun bukan mesin, motif tradisional."),
        T("Selendang Tenun", "tenun", "pcs", 120_000, 250_000,
          "Selendang tenun ringan untuk acara dan hadiah."),
        T("Sarung Tenun Ikat", "tenun", "pcs", 250_000, 450_000,
          "Sarung tenun ikat, tebal dan adem."),
        T("Tas Tenun Jinjing", "tas-aksesori", "pcs", 120_000, 220_000,
          "Tas jinjing dari kain tenun dengan furing dan resleting."),
        T("Kain Lurik per Meter", "tenun", "metre", 35_000, 60_000,
          "Kain lurik katun untuk kemeja dan taplak."),
        T("Dompet Tenun Kecil", "tas-aksesori", "pcs", 40_000, 75_000,
          "Dompet koin dari sisa kain tenun."),
    ],
    "jahit": [
        T("Seragam Sekolah Jahit Ukur", "pakaian", "pcs", 90_000, 150_000,
          "Satu stel kemeja dan celana atau rok, dijahit sesuai ukuran."),
        T("Kemeja Kerja Custom", "pakaian", "pcs", 120_000, 200_000,
          "Kemeja kerja dengan bordir nama dan logo."),
        T("Gamis Katun", "pakaian", "pcs", 140_000, 230_000,
          "Gamis katun adem, ukuran S sampai XXL."),
        T("Daster Batik", "pakaian", "pcs", 45_000, 75_000,
          "Daster dari kain batik cap, nyaman dipakai di rumah."),
        T("Mukena Katun Rayon", "pakaian", "pcs", 120_000, 200_000,
          "Mukena dewasa dengan tas, bahan jatuh dan tidak panas."),
        T("Tas Belanja Kain Blacu", "tas-aksesori", "pcs", 8_000, 15_000,
          "Tas belanja pengganti plastik, bisa sablon logo toko."),
        T("Kaos Sablon Komunitas", "pakaian", "pcs", 55_000, 85_000,
          "Kaos katun combed 30s dengan sablon plastisol, minimal 12 potong."),
    ],
    "anyaman": [
        T("Besek Bambu isi 10", "anyaman-bambu", "pack", 15_000, 30_000,
          "Besek anyaman bambu untuk nasi kotak dan hantaran, pengganti plastik."),
        T("Tampah Bambu 50 cm", "anyaman-bambu", "pcs", 20_000, 35_000,
          "Tampah untuk menampi beras dan wadah tumpeng."),
        T("Keranjang Parsel Bambu", "anyaman-bambu", "pcs", 25_000, 50_000,
          "Keranjang parsel dengan pegangan, ukuran sedang."),
        T("Tudung Saji Bambu", "anyaman-bambu", "pcs", 30_000, 55_000,
          "Tudung saji anyaman halus, diameter 45 cm."),
        T("Kap Lampu Anyaman Bambu", "anyaman-bambu", "pcs", 75_000, 150_000,
          "Kap lampu gantung untuk rumah dan kafe."),
        T("Tas Anyaman Pandan", "tas-aksesori", "pcs", 60_000, 120_000,
          "Tas pandan dengan tali kulit sintetis, ringan dan kuat."),
        T("Bakul Nasi Bambu", "anyaman-bambu", "pcs", 15_000, 30_000,
          "Bakul nasi anyaman rapat, menjaga nasi tetap pulen."),
    ],
    "rotan": [
        T("Kursi Rotan Teras", "rotan", "pcs", 450_000, 900_000,
          "Kursi rotan alami dengan rangka kuat, finishing natural."),
        T("Keranjang Rotan Serbaguna", "rotan", "pcs", 60_000, 120_000,
          "Keranjang untuk pakaian, mainan, atau tanaman."),
        T("Tas Rotan Bulat", "tas-aksesori", "pcs", 120_000, 220_000,
          "Tas rotan bulat dengan tali kulit dan kain batik di dalamnya."),
        T("Meja Rotan Kecil", "rotan", "pcs", 300_000, 600_000,
          "Meja samping rotan dengan kaca."),
        T("Kap Lampu Rotan", "rotan", "pcs", 90_000, 180_000,
          "Kap lampu rotan gantung, cahaya hangat bermotif."),
        T("Nampan Rotan Set isi 3", "rotan", "pcs", 80_000, 150_000,
          "Tiga nampan rotan bersusun untuk saji."),
    ],
    "ukir": [
        T("Hiasan Dinding Ukir Jati", "ukiran-kayu", "pcs", 250_000, 700_000,
          "Panel ukir motif bunga dari kayu jati, finishing melamin."),
        T("Kotak Perhiasan Ukir", "ukiran-kayu", "pcs", 85_000, 175_000,
          "Kotak kecil dengan ukiran halus dan engsel kuningan."),
        T("Talenan Kayu Jati", "ukiran-kayu", "pcs", 45_000, 90_000,
          "Talenan tebal dari potongan jati, aman untuk makanan."),
        T("Cermin Bingkai Ukir", "ukiran-kayu", "pcs", 350_000, 800_000,
          "Cermin dengan bingkai ukir Jepara, 60 x 80 cm."),
        T("Sendok Kayu Set isi 6", "ukiran-kayu", "pack", 35_000, 60_000,
          "Sendok dan spatula kayu sonokeling untuk dapur."),
        T("Relief Kayu Motif Wayang", "ukiran-kayu", "pcs", 300_000, 900_000,
          "Relief tokoh wayang untuk ruang tamu."),
    ],
    "gerabah": [
        T("Pot Tanah Liat Kecil", "gerabah", "pcs", 8_000, 15_000,
          "Pot tanaman 15 cm dengan lubang drainase."),
        T("Kendi Tanah Liat", "gerabah", "pcs", 25_000, 45_000,
          "Kendi untuk air minum, menjaga air tetap sejuk."),
        T("Cobek Tanah Liat dengan Ulekan", "gerabah", "pcs", 20_000, 35_000,
          "Cobek gerabah untuk sambal, lengkap dengan ulekan kayu."),
        T("Celengan Gerabah Ayam", "gerabah", "pcs", 15_000, 30_000,
          "Celengan bentuk ayam jago, dicat tangan."),
        T("Vas Bunga Gerabah Motif", "gerabah", "pcs", 45_000, 120_000,
          "Vas dengan motif tempel dan cat alami."),
        T("Tungku Tanah Liat", "gerabah", "pcs", 40_000, 75_000,
          "Anglo untuk memasak dengan arang, panas merata."),
    ],
    "kulit": [
        T("Dompet Kulit Sapi", "kerajinan-kulit", "pcs", 85_000, 175_000,
          "Dompet lipat kulit sapi asli, dijahit tangan."),
        T("Tas Selempang Kulit", "kerajinan-kulit", "pcs", 250_000, 450_000,
          "Tas selempang kulit nabati, makin lama makin bagus."),
        T("Ikat Pinggang Kulit", "kerajinan-kulit", "pcs", 75_000, 150_000,
          "Ikat pinggang kulit tebal dengan gesper kuningan."),
        T("Gantungan Kunci Kulit isi 10", "kerajinan-kulit", "pack", 35_000, 60_000,
          "Gantungan kunci dari sisa kulit, bisa cetak nama untuk suvenir."),
        T("Sandal Kulit Pria", "kerajinan-kulit", "pcs", 120_000, 220_000,
          "Sandal kulit dengan sol karet, ukuran 39 sampai 44."),
        T("Sarung Ponsel Kulit", "tas-aksesori", "pcs", 45_000, 85_000,
          "Sarung ponsel kulit dengan tali leher."),
    ],
    "sayur": [
        T("Paket Sayur Organik Mingguan", "sayur", "pack", 35_000, 60_000,
          "Lima jenis sayur panen pagi: bayam, kangkung, sawi, buncis, dan tomat."),
        T("Bayam Organik 250 g", "sayur", "pack", 5_000, 8_000,
          "Bayam hijau tanpa pestisida kimia."),
        T("Wortel Lokal 1 kg", "sayur", "kg", 10_000, 16_000,
          "Wortel dataran tinggi, manis dan renyah."),
        T("Kentang Granola 1 kg", "sayur", "kg", 14_000, 20_000,
          "Kentang dataran tinggi untuk sayur dan keripik."),
        T("Cabai Rawit Merah 250 g", "sayur", "pack", 10_000, 25_000,
          "Cabai rawit segar, harga mengikuti musim."),
        T("Daun Bawang 500 g", "sayur", "pack", 6_000, 10_000,
          "Daun bawang segar dari kebun lereng gunung."),
    ],
    "buah": [
        T("Stroberi Segar 500 g", "buah", "pack", 25_000, 40_000,
          "Stroberi dipetik pagi hari, dikemas dalam mika."),
        T("Salak Pondoh 1 kg", "buah", "kg", 10_000, 18_000,
          "Salak pondoh manis masir, dipetik sesuai pesanan."),
        T("Selai Stroberi 200 g", "buah", "bottle", 25_000, 35_000,
          "Selai dari stroberi segar dan gula, tanpa pewarna."),
        T("Bibit Salak Pondoh", "pupuk-bibit", "pcs", 10_000, 20_000,
          "Bibit cangkok salak pondoh umur enam bulan."),
        T("Alpukat Mentega 1 kg", "buah", "kg", 20_000, 35_000,
          "Alpukat daging tebal, dikirim setengah matang."),
        T("Bibit Stroberi Polybag", "pupuk-bibit", "pcs", 8_000, 15_000,
          "Bibit stroberi siap tanam di pot atau polybag."),
    ],
    "pupuk": [
        T("Pupuk Kompos Organik 25 kg", "pupuk-bibit", "sack", 30_000, 45_000,
          "Kompos matang dari daun dan kotoran ternak, gembur dan tidak berbau."),
        T("Pupuk Kandang Fermentasi 50 kg", "pupuk-bibit", "sack", 40_000, 60_000,
          "Kotoran kambing dan sapi yang sudah difermentasi."),
        T("Bibit Kopi Arabika Polybag", "pupuk-bibit", "pcs", 3_000, 6_000,
          "Bibit arabika umur enam bulan, varietas lokal."),
        T("Pupuk Organik Cair 1 liter", "pupuk-bibit", "litre", 20_000, 35_000,
          "POC dari urine kelinci dan empon-empon."),
        T("Pestisida Nabati 1 liter", "pupuk-bibit", "litre", 25_000, 40_000,
          "Ramuan daun mimba, serai, dan bawang putih untuk mengusir hama."),
        T("Media Tanam Siap Pakai 10 kg", "pupuk-bibit", "sack", 15_000, 25_000,
          "Campuran tanah, kompos, dan sekam bakar."),
    ],
    "ikan": [
        T("Abon Lele 100 g", "ikan-olahan", "pack", 20_000, 30_000,
          "Abon lele gurih manis tanpa pengawet."),
        T("Kerupuk Ikan Tenggiri 250 g", "keripik", "pack", 25_000, 40_000,
          "Kerupuk ikan tenggiri mentah, mekar besar saat digoreng."),
        T("Ikan Asin Teri Nasi 250 g", "ikan-olahan", "pack", 25_000, 40_000,
          "Teri nasi tawar, dijemur bersih."),
        T("Nugget Lele Beku 500 g", "ikan-olahan", "pack", 25_000, 35_000,
          "Nugget lele untuk bekal anak, dikirim beku."),
        T("Bandeng Presto isi 4", "ikan-olahan", "pack", 40_000, 60_000,
          "Bandeng presto duri lunak, bumbu kuning."),
        T("Terasi Udang 250 g", "bumbu-sambal", "pack", 15_000, 25_000,
          "Terasi udang rebon asli, aroma kuat."),
    ],
    "jasa-foto": [
        T("Paket Foto Produk 10 Foto", "foto-desain", "pack", 100_000, 250_000,
          "Sepuluh foto produk siap unggah, latar putih atau kayu."),
        T("Desain Label Kemasan", "foto-desain", "pcs", 150_000, 300_000,
          "Desain label dengan komposisi, P-IRT, dan halal, file siap cetak."),
        T("Kelas Foto Produk dengan Ponsel", "foto-desain", "pcs", 50_000, 100_000,
          "Kelas tiga jam untuk memotret produk dengan ponsel dan cahaya jendela."),
        T("Cetak Stiker Label 100 Lembar", "foto-desain", "pack", 60_000, 120_000,
          "Stiker label vinyl tahan air, potong bentuk."),
        T("Foto Katalog 30 Produk", "foto-desain", "pack", 350_000, 600_000,
          "Foto katalog untuk marketplace dan WhatsApp Business."),
        T("Desain Logo Usaha", "foto-desain", "pcs", 200_000, 400_000,
          "Tiga pilihan logo dan satu revisi."),
    ],
}
BENCH_VARIANTS = ("", " Premium", " Pilihan", " Hemat", " Spesial", " Asli")


def _price(rng, template: Template) -> int:
    step = 500 if template.high <= 50_000 else 1_000 if template.high <= 300_000 else 5_000
    return rng.randint(template.low // step, template.high // step) * step


def _stock_and_order(rng) -> tuple[int, int]:
    stock = 0 if rng.random() < 0.1 else rng.randint(1, 40) * 5
    min_order = 1 if rng.random() < 0.8 else rng.choice((2, 5, 10))
    return stock, min_order


def product_plan(*, rng) -> list[dict]:
    """Every demo product with its values, drawn in a fixed order."""
    plan, titles = [], set()
    for spec in enterprise_demo.ENTERPRISES:
        catalogue = CATALOGUE[spec.line]
        for template in rng.sample(catalogue, min(len(catalogue), 4 + rng.randint(0, 2))):
            title = template.title
            # Another maker already sells one by this name: tell them apart by village.
            for suffix in (spec.village, spec.name):
                if title not in titles:
                    break
                title = f"{template.title} {suffix}"
            titles.add(title)
            stock, min_order = _stock_and_order(rng)
            plan.append({
                "enterprise_slug": spec.slug,
                "title": title,
                "slug": slugify(title),
                "category": template.category,
                "description": f"{template.description} Dibuat oleh {spec.name} di Desa "
                               f"{spec.village}.",
                "price": _price(rng, template),
                "unit": template.unit,
                "stock": stock,
                "min_order": min_order,
                "is_active": rng.random() >= 0.04,
                "photos": rng.choice((1, 1, 2, 2, 3)),
            })
    return plan


def photo_bytes(*, title: str, top_slug: str, variant: int = 0,
                size: tuple[int, int] | None = None) -> bytes:
    """A pleasant placeholder photo: a gradient in the category's colours, a shape that says what
    kind of thing it is, and the product's initials, kept inside the central square so that
    square card crops show all of it."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size or PHOTO_SIZE
    start, end, light = PALETTES[top_slug]
    if variant % 2:
        start, end = end, start
    column = Image.new("RGB", (1, height))
    column.putdata([
        tuple(s + (e - s) * y // max(height - 1, 1) for s, e in zip(start, end, strict=True))
        for y in range(height)
    ])
    image = column.resize((width, height), Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(image)
    unit = min(width, height)
    cx = width / 2 + unit * 0.06 * ((variant % 3) - 1)
    cy = height / 2
    radius = unit * (0.34 - 0.04 * (variant % 3))
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    _draw_shape(draw, top_slug=top_slug, box=box, colour=light, accent=end)
    initials = "".join(word[0] for word in title.split()[:2] if word[0].isalnum()).upper()
    font = ImageFont.load_default(size=max(8, int(radius * 0.8)))
    draw.text((cx, cy), initials, fill=tuple(c // 2 for c in end), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=76)
    return buffer.getvalue()


def _draw_shape(draw, *, top_slug: str, box: tuple, colour, accent) -> None:
    x0, y0, x1, y1 = box
    if top_slug == "makanan-minuman":  # a plate with a rim
        draw.ellipse(box, fill=colour)
        inset = (x1 - x0) * 0.08
        draw.ellipse((x0 + inset, y0 + inset, x1 - inset, y1 - inset), outline=accent, width=3)
    elif top_slug == "kerajinan":  # a woven square
        draw.rounded_rectangle(box, radius=(x1 - x0) * 0.12, fill=colour)
        step = (x1 - x0) / 6
        for k in range(1, 6):
            draw.line((x0 + k * step, y0, x0 + k * step, y1), fill=accent, width=2)
            draw.line((x0, y0 + k * step, x1, y0 + k * step), fill=accent, width=2)
    elif top_slug == "fashion":  # a folded cloth diamond
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        draw.polygon([(cx, y0), (x1, cy), (cx, y1), (x0, cy)], fill=colour, outline=accent)
    elif top_slug == "pertanian":  # a leaf
        cx = (x0 + x1) / 2
        draw.ellipse((x0 + (x1 - x0) * 0.18, y0, x1 - (x1 - x0) * 0.18, y1), fill=colour)
        draw.line((cx, y0 + 4, cx, y1 - 4), fill=accent, width=3)
    else:  # a camera for services
        height = y1 - y0
        draw.rounded_rectangle((x0, y0 + height * 0.2, x1, y1 - height * 0.1),
                               radius=height * 0.1, fill=colour)
        draw.ellipse((x0 + height * 0.3, y0 + height * 0.35, x1 - height * 0.3,
                      y1 - height * 0.25), outline=accent, width=4)


def _photo_file(*, name: str, data: bytes) -> ImageFile:
    return ImageFile(io.BytesIO(data), name=f"{name}.jpg")


def _categories() -> dict[str, Category]:
    categories = {}
    for order, (slug, name, name_en, children) in enumerate(CATEGORIES):
        top, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
        categories[slug] = top
        for child_order, (child_slug, child_name, child_en) in enumerate(children):
            categories[child_slug], _ = Category.objects.get_or_create(
                slug=child_slug,
                defaults={"name": child_name, "name_en": child_en, "parent": top,
                          "sort_order": child_order},
            )
    return categories


def _product(*, entry: dict, enterprise: Enterprise, categories: dict) -> None:
    top_slug = TOP_OF[entry["category"]]
    photos = [
        _photo_file(name=f"{entry['slug']}-{k + 1}",
                    data=photo_bytes(title=entry["title"], top_slug=top_slug, variant=k))
        for k in range(entry["photos"])
    ]
    owner = enterprise.memberships.order_by("pk").first()
    services.product_create(
        enterprise=enterprise, user=owner.user if owner else None, photo_files=photos,
        category=categories[entry["category"]],
        **{key: entry[key] for key in ("title", "description", "price", "unit", "stock",
                                       "min_order", "is_active")},
    )


def seed(*, run: DemoRun) -> None:
    plan = product_plan(rng=run.rng("marketplace"))
    enterprises = {enterprise.slug: enterprise
                   for _, enterprise in run.shared["demo_enterprises"]}
    with transaction.atomic():
        categories = _categories()
        taken = set(Product.objects.filter(slug__in=[entry["slug"] for entry in plan])
                    .values_list("slug", flat=True))
        # Created in a shuffled order, so "newest" lists mix enterprises.
        for entry in run.rng("marketplace-order").sample(plan, len(plan)):
            if entry["slug"] not in taken:
                _product(entry=entry, enterprise=enterprises[entry["enterprise_slug"]],
                         categories=categories)
    demo_bulk_orders.seed(run=run)
    demo_joint_offers.seed(run=run)
    demo_orders.seed(run=run)


def bench_product_count(*, run: DemoRun) -> int:
    """Synthetic products that bring the total to 400 per unit of scale."""
    demo_count = len(product_plan(rng=run.rng("marketplace")))
    return max(0, 400 * run.scale - demo_count)


def bench_product_slug(index: int) -> str:
    return f"{BENCH_SLUG_PREFIX}{index:07d}"


def _image_pool() -> dict[str, list]:
    """A few generated photos per top category, shared by all synthetic products."""
    Image = get_image_model()
    pool = {}
    for top_slug, name, _, _ in CATEGORIES:
        titles = [f"Foto contoh {name} {k + 1}" for k in range(POOL_PER_CATEGORY)]
        existing = {image.title: image for image in Image.objects.filter(title__in=titles)}
        pool[top_slug] = [
            existing.get(title) or image_create(
                file=_photo_file(name=slugify(title),
                                 data=photo_bytes(title=name, top_slug=top_slug, variant=k)),
                title=title,
            )
            for k, title in enumerate(titles)
        ]
    return pool


def _bench_product(*, index: int, rng, enterprise: Enterprise, line: str,
                   categories: dict, pool: dict) -> tuple[Product, list]:
    template = rng.choice(CATALOGUE[line])
    stock, min_order = _stock_and_order(rng)
    product = Product(
        enterprise=enterprise,
        category=categories[template.category],
        title=f"{template.title}{rng.choice(BENCH_VARIANTS)}",
        slug=bench_product_slug(index),
        description=f"{template.description} Dari {enterprise.name}.",
        price=_price(rng, template),
        unit=template.unit,
        stock=stock,
        min_order=min_order,
        is_active=rng.random() >= 0.02,
    )
    product.search_document = services.product_search_document(product)
    images = pool[TOP_OF[template.category]]
    photos = [rng.choice(images) for _ in range(1 if rng.random() < 0.7 else 2)]
    return product, photos


def seed_bench(*, run: DemoRun) -> None:
    """Synthetic products in bulk, spread over the synthetic enterprises; deterministic slugs
    make reruns add only what is missing."""
    total = bench_product_count(run=run)
    enterprise_total = enterprise_demo.bench_enterprise_count(scale=run.scale)
    if not total or not enterprise_total:
        return
    enterprises = Enterprise.objects.filter(
        slug__startswith=enterprise_demo.BENCH_SLUG_PREFIX
    ).only("pk", "slug", "name").in_bulk(field_name="slug")
    with transaction.atomic():
        categories = _categories()
        pool = _image_pool()
    rng = run.rng("marketplace-bench")
    created = 0
    for start in range(0, total, BENCH_BATCH):
        batch = []
        for index in range(start, min(start + BENCH_BATCH, total)):
            seller_index = index % enterprise_total
            batch.append(_bench_product(
                index=index, rng=rng,
                enterprise=enterprises[enterprise_demo.bench_enterprise_slug(seller_index)],
                line=enterprise_demo.bench_enterprise_line(seller_index),
                categories=categories, pool=pool,
            ))
        taken = set(Product.objects.filter(slug__in=[product.slug for product, _ in batch])
                    .values_list("slug", flat=True))
        missing = [(product, photos) for product, photos in batch if product.slug not in taken]
        with transaction.atomic():
            Product.objects.bulk_create([product for product, _ in missing],
                                        batch_size=BENCH_BATCH)
            ProductPhoto.objects.bulk_create(
                [ProductPhoto(product=product, image=image, sort_order=position)
                 for product, photos in missing for position, image in enumerate(photos)],
                batch_size=BENCH_BATCH,
            )
        created += len(missing)
        run.progress("products", start + len(batch), total)
    services.catalogue_changed()
    run.note(f"Synthetic products: {created} created, {total - created} already there.")
