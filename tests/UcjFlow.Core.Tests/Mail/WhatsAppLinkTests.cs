using UcjFlow.Core.Mail;

namespace UcjFlow.Core.Tests.Mail;

public class WhatsAppLinkTests
{
    [Fact]
    public void The_link_carries_the_number_without_plus_and_the_text_percent_encoded()
    {
        var url = WhatsAppLink.For("+6281234567890", "*Berkas ditolak*\nBaris 3: umur 70 > 65 & NIK 150301******0001?\nLihat: https://x.example.id/batches/b-1?token=a+b/c=");

        Assert.Equal(
            "https://wa.me/6281234567890?text=%2ABerkas%20ditolak%2A%0ABaris%203%3A%20umur%2070%20%3E%2065%20%26%20NIK%20150301%2A%2A%2A%2A%2A%2A0001%3F%0ALihat%3A%20https%3A%2F%2Fx.example.id%2Fbatches%2Fb-1%3Ftoken%3Da%2Bb%2Fc%3D",
            url);
    }

    [Fact]
    public void Non_ASCII_text_is_sent_as_UTF8_bytes_and_no_phone_lets_WhatsApp_ask_whom()
    {
        Assert.Equal("https://wa.me/?text=Rp%C2%A01.000%20%E2%80%94%20%C3%A9", WhatsAppLink.For(null, "Rp\u00a01.000 \u2014 \u00e9"));
    }

    [Theory]
    [InlineData("081234567890")]
    [InlineData("+62 812 3456 7890")]
    [InlineData("+62812345678901234")]
    public void A_phone_not_in_E164_is_a_bug_and_refused(string phone)
    {
        Assert.Throws<ArgumentException>(() => WhatsAppLink.For(phone, "x"));
    }

    [Fact]
    public void A_village_message_has_a_short_text_with_its_link_and_the_same_words_as_the_mail()
    {
        var composer = new MailComposer(new MailContext("Sarolangun 2024 P-APBD", "Kabupaten Sarolangun", "Tim Koordinator Kabupaten Sarolangun"));
        var issues = Enumerable.Range(1, 7).Select(i => $"Baris {i + 1}, kolom NIK: NIK 150301******000{i} tidak 16 digit").ToList();
        var content = composer.Compose(new BatchRejectedMail(
            new VillageRef("15.03.01.2001", "Tambak Ratu", "Batang Asai"), "b-7f3a", "data.xlsx", "Data ganda",
            40, 7, issues, 7, "https://ucj.example.id/batches/b-7f3a?token=t1"));

        Assert.Equal(
            "*Berkas ditolak: Desa Tambak Ratu, mohon perbaiki dan unggah ulang*\n\n" +
            "Yth. Operator Desa Tambak Ratu,\n" +
            "Berkas data peserta \"data.xlsx\" (batch b-7f3a) belum dapat disetujui oleh Tim Koordinator.\n\n" +
            "Alasan: Data ganda\n\n" +
            "- Baris valid: 40\n- Baris bermasalah: 7\n\n" +
            "Masalah yang ditemukan:\n\n" +
            string.Concat(issues.Take(MailComposer.MaxIssuesInShortText).Select(i => "- " + i + "\n")) +
            "- ... selengkapnya dalam laporan\n\n" +
            "Laporan pemeriksaan lengkap: https://ucj.example.id/batches/b-7f3a?token=t1\n\n" +
            "Mohon perbaiki data sesuai laporan tersebut, lalu unggah kembali berkas yang sudah diperbaiki sebelum batas waktu pengumpulan.\n\n" +
            "Tim Koordinator Kabupaten Sarolangun",
            content.ShortText);
        // The same sentences as the mail, not a second wording.
        Assert.Contains("Berkas data peserta \"data.xlsx\" (batch b-7f3a) belum dapat disetujui oleh Tim Koordinator.", content.PlainText);
        Assert.Equal(WhatsAppLink.For("+6281234567890", content.ShortText), content.WhatsAppUrl("+6281234567890"));
    }
}
