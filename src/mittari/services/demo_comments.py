"""Survey comments of the demo: made up, in Finnish, English and Swedish.

Grouped by what the answer says (`TICKET[language][topic]`): praise, a neutral word, and
the complaints a ticket's story explains (not fixed, explained again, slow, not kept
informed). Swedish comments get no sentiment (mittari analyses Finnish and English); they
are there because a Swedish customer's people write Swedish.
"""

from __future__ import annotations

TICKET: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "praise": (
            "Nopea ja ystävällinen palvelu, kiitos!",
            "Asia hoitui heti, erinomaista.",
            "Tukihenkilö oli todella avulias ja osaava.",
            "Kiitos, kone toimii taas hyvin.",
            "Selkeät ohjeet ja nopea ratkaisu, hienoa.",
            "Loistavaa palvelua, sain apua saman tien.",
            "Ystävällinen asenne ja ongelma ratkesi nopeasti.",
            "Hyvä kokemus, kiitos avusta.",
        ),
        "neutral": (
            "Ok.",
            "Asia hoidettiin.",
            "Tiketti käsiteltiin.",
            "Tiketti suljettiin.",
        ),
        "not_fixed": (
            "Tiketti suljettiin, mutta vika ei korjaantunut.",
            "Ongelma on edelleen olemassa, ratkaisu ei toiminut.",
            "Suljettiin kysymättä, eikä mikään ole muuttunut.",
            "Sama vika palasi heti seuraavana päivänä, huono korjaus.",
            "Ei ratkennut, jouduin tekemään uuden pyynnön.",
            "Huono palvelu, vika jäi korjaamatta.",
        ),
        "explain_again": (
            "Jouduin selittämään saman asian kolme kertaa eri henkilöille.",
            "Kukaan ei lukenut aiempia viestejä, turhauttavaa.",
            "Huono kokemus, jouduin kertomaan kaiken uudelleen.",
        ),
        "slow": (
            "Kesti aivan liian kauan, työt seisoivat.",
            "Hidas palvelu, odotin päiväkausia.",
            "Turhauttavan hidasta, menetin koko aamupäivän.",
        ),
        "uninformed": (
            "En saanut mitään tietoa tilanteesta, huono viestintä.",
            "Kukaan ei kertonut mitä tapahtuu, jouduin kyselemään itse.",
        ),
    },
    "en": {
        "praise": (
            "Quick and friendly help, thank you!",
            "Fixed within minutes, excellent service.",
            "Very helpful agent who knew exactly what to do.",
            "Great support, everything works again.",
            "Clear instructions and a fast fix, much appreciated.",
            "Brilliant, the problem was solved right away.",
        ),
        "neutral": (
            "Ok.",
            "It was handled.",
            "Done.",
        ),
        "not_fixed": (
            "The ticket was closed but the problem is still there.",
            "Not fixed, I had to open a new ticket for the same issue.",
            "Closed without asking me and it is still broken.",
            "The fix did not work and the fault came back the next day.",
            "Terrible, the issue was never actually resolved.",
        ),
        "explain_again": (
            "I had to explain the problem three times to different people.",
            "Nobody read my earlier messages, very frustrating.",
            "Annoying to repeat everything to every new agent.",
        ),
        "slow": (
            "Took far too long, I could not work for hours.",
            "Slow and annoying, I waited days for a reply.",
            "Frustratingly slow, lost a whole morning.",
        ),
        "uninformed": (
            "Nobody told me what was happening, poor communication.",
            "I had to chase for updates all the time, poor service.",
        ),
    },
    "sv": {
        "praise": (
            "Snabb och vänlig hjälp, tack!",
            "Problemet löstes direkt, utmärkt service.",
            "Mycket hjälpsam och kunnig support.",
            "Tack, allt fungerar igen.",
        ),
        "neutral": ("Ok.", "Det löste sig."),
        "not_fixed": (
            "Ärendet stängdes men felet finns kvar.",
            "Inte löst, jag fick öppna ett nytt ärende.",
        ),
        "explain_again": ("Jag fick förklara samma sak tre gånger.",),
        "slow": ("Det tog alldeles för lång tid.", "Långsamt, men de var trevliga."),
        "uninformed": ("Ingen berättade vad som hände.",),
    },
}

PULSE: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "praise": (
            "Yhteistyö toimii hyvin ja palvelu on luotettavaa.",
            "Kumppani ymmärtää liiketoimintaamme erinomaisesti.",
            "Erittäin tyytyväinen palveluun ja yhteistyöhön.",
        ),
        "neutral": ("Perustaso kunnossa.", "Ei erityistä sanottavaa."),
        "complaint": (
            "Raportit näyttävät vihreää, mutta käyttäjät ovat tyytymättömiä.",
            "Samat viat toistuvat, eikä kukaan korjaa juurisyytä.",
            "Tiketit suljetaan nopeasti, mutta ongelmat eivät ratkea.",
            "Huono kokemus viime kuukausina, luottamus on heikentynyt.",
        ),
    },
    "en": {
        "praise": (
            "A reliable partner, the service works well.",
            "They understand our business and keep us informed.",
            "Very happy with the cooperation this quarter.",
        ),
        "neutral": ("Same as last quarter.", "Steady quarter."),
        "complaint": (
            "The monthly report is green but our people are frustrated.",
            "The same faults keep coming back and nobody fixes the root cause.",
            "Tickets get closed fast, problems do not get solved.",
        ),
    },
    "sv": {
        "praise": (
            "Bra samarbete och trevlig personal.",
            "De förstår vår verksamhet och håller oss informerade.",
        ),
        "neutral": ("Helt okej.",),
        "complaint": ("Samma fel kommer tillbaka gång på gång.",),
    },
}
