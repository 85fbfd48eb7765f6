"""Ticket subjects of the demo, per service: made up, in Finnish, English and Swedish.

People write the same fault in many ways, so each service has many distinct wordings;
a demo whose subjects came from a handful of texts would make every wording a "recurring
fault". The one fault the demo plants (`RECURRING_FAULT`) is worded a few close ways, as
people reporting the same stuck integration would.
"""

from __future__ import annotations

# service -> (incident subjects, request subjects)
SUBJECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Email": (
        (
            "Outlook ei synkronoi puhelimeen",
            "Cannot send mail to external addresses",
            "Jaettu postilaatikko ei aukea",
            "Mailbox full warning every morning",
            "Sähköposti jää lähtevät-kansioon",
            "Calendar invites arrive twice",
            "Liitteet eivät aukea selaimessa",
            "Out-of-office reply does not switch off",
            "Roskapostisuodatin poistaa laskut",
            "Outlook kaatuu käynnistettäessä",
            "Delegate cannot see my calendar",
            "Allekirjoituksen logo puuttuu",
            "Messages bounce back with 550 error",
            "Hakutoiminto ei löydä vanhoja viestejä",
            "Distribution list rejects senders",
            "Postilaatikon kiintiö täynnä",
            "Phishing mail clicked by mistake",
            "Kokouskutsuun ei voi vastata",
            "Webmail asks for password all the time",
            "Viestit katoavat saapuneista",
        ),
        (
            "Uusi jakelulista",
            "Access to a shared mailbox",
            "Sähköpostiosoitteen alias",
            "Forwarding for a leaver's mailbox",
            "Resurssikalenteri neuvotteluhuoneelle",
        ),
    ),
    "VPN": (
        (
            "VPN-yhteys katkeilee",
            "VPN client fails after update",
            "Etäyhteys ei toimi kotoa",
            "Certificate expired on VPN login",
            "Tunnistautuminen epäonnistuu VPN:ssä",
            "Slow network drives over VPN",
            "Hotellin verkosta ei saa yhteyttä",
            "Split tunnelling blocks printer",
            "VPN katkeaa Teams-puhelun aikana",
            "Cannot reach intranet while connected",
            "MFA-koodi ei kelpaa etäyhteydessä",
            "Always-on VPN stuck on connecting",
        ),
        (
            "VPN access for a contractor",
            "Etäyhteystunnus kesätyöntekijälle",
            "Laajennettu pääsy tuotantoverkkoon",
        ),
    ),
    "ERP": (
        (
            "ERP-raportti ei aukea",
            "Invoice run stuck",
            "Tilausnäkymä on hidas",
            "Month-end close batch failed",
            "Varastosaldot eivät päivity tilauksille",
            "Purchase order approval loops",
            "Ostolaskujen kierrätys pysähtynyt",
            "Cannot post to closed period",
            "Hinnasto näyttää vanhoja hintoja",
            "Sales report shows wrong currency",
            "Tuotantotilauksen tulostus epäonnistuu",
            "Login to ERP times out",
            "Toimittajarekisterin haku kaatuu",
            "Export to Excel gives empty file",
        ),
        (
            "Käyttöoikeus ostoreskontraan",
            "New cost centre in ERP",
            "Uusi raporttipohja myynnille",
            "Role change for a controller",
        ),
    ),
    "WMS": (
        (
            "Scanner cannot reach WMS",
            "Saldo näyttää väärin hyllypaikalla",
            "Lähetyksen osoitetarra tulostuu tyhjänä",
            "Trucks waiting: dock booking screen frozen",
            "Inventaariolaskenta ei tallennu",
            "Pallet labels print in wrong format",
            "Vastaanotto ei kuittaa saapuvaa erää",
            "Wave release takes twenty minutes",
            "Trukkipäätteen akku tyhjenee vuorossa",
            "Returns cannot be booked to stock",
            "Hyllypaikan siirto jää kesken",
            "Carrier integration rejects consignments",
            "Käsipääte kirjautuu ulos kesken keräilyn",
            "Cycle count shows negative stock",
        ),
        (
            "New warehouse user",
            "Uusi hyllypaikka-alue WMS:ään",
            "Käsipäätteen lisäys vuorolle",
        ),
    ),
    "Laptops": (
        (
            "Kannettavan akku ei lataudu",
            "Laptop does not boot",
            "Näyttö välkkyy telakassa",
            "BitLocker recovery key asked",
            "Kone on todella hidas aamuisin",
            "Keyboard keys stuck after coffee",
            "Päivitys jumittaa uudelleenkäynnistykseen",
            "Docking station: no external monitor",
            "Tuuletin pitää kovaa ääntä",
            "Touchpad stopped working",
            "Kirjautuminen Windowsiin epäonnistuu",
            "Blue screen when undocking",
            "Mikrofoni ei toimi Teamsissa",
            "Disk almost full, cannot save files",
            "Kameran kuva on musta",
            "Wi-Fi drops in the meeting rooms",
        ),
        (
            "Uusi kannettava uudelle työntekijälle",
            "New laptop for a new employee",
            "Ohjelmiston asennus: AutoCAD",
            "Second monitor for home office",
            "Koneen palautus lähtevältä työntekijältä",
        ),
    ),
    "Printing": (
        (
            "Tulostin jumittaa",
            "Printer offline on 2nd floor",
            "Skannaus sähköpostiin ei toimi",
            "Prints come out blank",
            "Värikasetti loppu ja tilaus ei mene läpi",
            "Follow-me printing card not recognised",
            "Paperi juuttuu kaksipuoleisessa tulostuksessa",
            "Label printer prints garbage",
            "Tulostusjono jumissa koko kerroksessa",
            "Scanned PDFs are unreadable",
            "Kopiokone pyytää huoltoa",
            "Printing from SAP fails with spool error",
            "Tulosteet tulevat väärästä lokerosta",
            "Badge reader at the printer is dead",
            "A3-tulostus ei onnistu",
            "Printer driver install asks for admin",
        ),
        (
            "Uusi tulostusjono",
            "Printer for the new office",
        ),
    ),
    "Mobile": (
        (
            "Puhelin ei saa sähköpostia",
            "MFA app lost with old phone",
            "Työpuhelimen näyttö rikki",
            "Company portal app will not enrol",
            "Puhelut katkeavat varastolla",
            "Cannot scan QR codes with work phone",
            "Mobiilidata ei toimi ulkomailla",
            "Authenticator notifications do not arrive",
            "Työpuhelin ei käynnisty päivityksen jälkeen",
            "Teams app crashes on Android",
            "SIM-kortti lukittu, PUK-koodi tarvitaan",
            "Phone cannot join the warehouse Wi-Fi",
            "Puhelimen kalenteri ei päivity",
            "Lost phone, please wipe it",
            "Soitonsiirto ei toimi vaihteeseen",
            "Battery drains in two hours",
        ),
        (
            "Uusi työpuhelin",
            "Liittymän siirto uudelle käyttäjälle",
            "Data roaming for a trip",
        ),
    ),
    "Kiinteistöautomaatio": (
        (
            "Rakennusautomaation valvomo ei vastaa",
            "Alarm feed from site 4 missing",
            "Lämpötilahälytykset eivät tule puhelimeen",
            "Access control panel offline",
            "Ilmanvaihdon aikaohjelmat nollautuneet",
            "Energy meter readings stopped",
            "Kulunvalvonnan kortinlukija ei avaa ovea",
            "Trend history gap since the weekend",
            "Etävalvonnan VPN-tunneli alhaalla",
            "Kiinteistön hälytys ei kuittaudu",
        ),
        (
            "Uusi kohde valvomoon",
            "Käyttäjätunnus huoltoyhtiölle",
            "New alarm recipient list",
        ),
    ),
    "Asiakastieto": (
        (
            "Asiakastietojärjestelmä kaatuu laskutusajossa",
            "Customer portal shows old invoices",
            "Sopimusmuutos ei tallennu",
            "Meter change not visible on the account",
            "Asiakaspalvelun näkymä latautuu minuutin",
            "Direct debit file rejected by bank",
            "Muuttoilmoitukset jäävät jonoon",
            "Invoice PDF missing from e-mail",
            "Hinnanmuutoskirje tulostuu väärällä kielellä",
            "Search by address returns nothing",
        ),
        (
            "Käyttöoikeus laskutusnäkymään",
            "New price list for the spring campaign",
            "Raportti avoimista saatavista",
        ),
    ),
    "Kaukoluenta": (
        (
            "Mittarilukemia puuttuu alueelta",
            "Head-end system not receiving readings",
            "Kaukoluennan tiedonsiirto myöhässä",
            "Concentrator offline in substation",
            "Tuntilukemat kahdentuvat raportissa",
            "Reading import job failed overnight",
            "Mittarin etäkatkaisu ei toimi",
            "Data hub delivery rejected",
        ),
        (
            "Uusi alue kaukoluennan piiriin",
            "Access to reading reports",
        ),
    ),
    "E-post": (
        (
            "Kan inte skicka e-post till kunder",
            "Delad brevlåda går inte att öppna",
            "Outlook kraschar vid start",
            "Kalenderinbjudningar kommer dubbelt",
            "Meddelanden studsar tillbaka",
            "Brevlådan är full",
            "Signaturen saknar logotyp",
            "Mail stuck in outbox",
            "Skräppostfiltret tar bort fakturor",
            "Frånvaromeddelandet går inte att stänga av",
            "Webmail frågar efter lösenord hela tiden",
            "Sökningen hittar inte gamla mejl",
        ),
        (
            "Ny distributionslista",
            "Behörighet till delad brevlåda",
            "Vidarebefordran för avslutad anställd",
        ),
    ),
    "Affärssystem": (
        (
            "Fakturakörningen har fastnat",
            "Affärssystemet är långsamt",
            "Rapporten går inte att öppna",
            "Month-end batch failed",
            "Lagersaldon uppdateras inte",
            "Inköpsorder fastnar i attest",
            "Prislistan visar gamla priser",
            "Inloggningen tar för lång tid",
            "Export till Excel blir tom",
        ),
        (
            "Behörighet till leverantörsreskontra",
            "Nytt kostnadsställe",
            "Ny rapportmall",
        ),
    ),
    "Datorer": (
        (
            "Datorn startar inte",
            "Batteriet laddar inte",
            "Skärmen flimrar i dockningen",
            "BitLocker frågar efter återställningsnyckel",
            "Datorn är mycket långsam",
            "Uppdateringen hänger sig vid omstart",
            "Mikrofonen fungerar inte i Teams",
            "Wi-Fi tappar anslutningen",
            "Blue screen after docking",
            "Tangentbordet slutade fungera",
        ),
        (
            "Ny dator till nyanställd",
            "Installation av programvara",
            "Extra skärm till hemmakontoret",
        ),
    ),
    "Bokning": (
        (
            "Bokningssystemet visar fel avgångar",
            "Fraktsedeln skrivs inte ut",
            "Booking confirmation e-mails not sent",
            "Kan inte ändra bokning efter avgång",
            "Tullhandlingar saknas i bokningen",
            "Hamnens gränssnitt svarar inte",
            "Priskalkylen räknar fel på tillägg",
        ),
        (
            "Ny användare i bokningssystemet",
            "Ny rutt i tidtabellen",
        ),
    ),
}

# The team that knows each service (the first line hands tickets over to it).
SPECIALIST = {
    "VPN": "Network", "Kaukoluenta": "Network", "Kiinteistöautomaatio": "Network",
    "Email": "Workplace", "E-post": "Workplace", "Laptops": "Workplace", "Datorer": "Workplace",
    "Printing": "Workplace", "Mobile": "Workplace",
    "ERP": "Applications", "Affärssystem": "Applications", "WMS": "Applications",
    "Asiakastieto": "Applications", "Bokning": "Applications",
}  # fmt: skip

# The fault the demo plants at revontuli: the WMS integration that stops the pick lists
# now and then; the same fault, worded the ways warehouse people report it.
RECURRING_SERVICE = "WMS"
RECURRING_FAULT = (
    "Keräilylistat eivät tulostu – WMS-integraatio jumissa",
    "Keräilylistat eivät tulostu, WMS-integraatio jumissa taas",
    "WMS-integraatio jumissa: keräilylistat eivät tulostu",
    "Keräilylistat eivät tulostu varastolla 2 – WMS-integraatio jumissa",
    "Keräilylistat eivät taas tulostu, WMS-integraatio jumissa",
)
# What a requester writes when the same thing broke again after a "fix" (a follow-up).
AGAIN = {"fi": "Sama vika uudestaan: ", "sv": "Samma fel igen: "}
