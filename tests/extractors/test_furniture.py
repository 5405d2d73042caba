"""The site's furniture (its copyright line, a row of its policy links, a call to subscribe
to its newsletter) is taken out of an extracted text; a story about copyright or
subscribers, a privacy policy's own text and a photo's credit are not."""

from __future__ import annotations

import pytest

from extractors.furniture import is_furniture, split_furniture
from extractors.html import extract_page
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

FURNITURE = [
    "Copyright © 2023 Example Media GmbH. Alle Rechte vorbehalten.",
    "© 2023 The Associated Press. All rights reserved.",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "Copyright © 2008, The Hindu. Republication or redissemination of the contents of this "
    "screen are expressly prohibited without the written consent of The Hindu",
    "© 2008 owned by or licensed to Midland Newspapers Limited. Please read our Terms and "
    "Conditions and Privacy Statement.",
    "Tous droits réservés © Le Courrier 2023",
    "Privacy Policy | Advertise | Contact Us | Archives | Site Map | RSS Feeds",
    "Impressum · Datenschutz · Kontakt · Mediadaten · AGB",
    "| [ Contact Us ][ Feedback ][ Privacy ][ Advertise ][ Add to Favorites ] |",
    "| Subscribe! |",
    "|  | Datenschutz |",
    "Newsletter Signup",
    "Subscribe to the Morning Review newsletter",
    "Get the latest updates right in your inbox. Subscribe to NJ.com’s newsletters.",
    "Get the day’s top headlines delivered to your inbox every morning.",
    "Nichts Neues verpassen! - Newsletter abonnieren",
    "Abonnieren Sie jetzt den Themen-Newsletter «Wohnen».",
    "Abonnez-vous à notre newsletter quotidienne.",
    "Subscribe to the Sport RSS feed",
    "Click here for free Newsletter subscription!",
]
CONTENT = [
    "Suzanne Schulting, Short Trackerin. © AFP / WANG ZHAO",
    "Please read our privacy policy carefully to get a clear understanding of how we collect, "
    "use, protect or otherwise handle your Personally Identifiable Information.",
    "If there are any questions regarding this privacy policy, you may contact us using the "
    "information below.",
    "The court ruled that the copyright of the photographs remained with the agency, and "
    "that all rights reserved in the contract applied to the archive as well.",
    "Sprint Nextel had a net gain of 500,000 subscribers through its wholesale channels.",
    "Only available to HBO subscribers who also use Time Warner Cable for Internet access.",
    "Die Deutsche Bahn rechnet damit, dass mit dem Ticket sechs Millionen neue Abo-Kunden "
    "gewonnen werden.",
    "The newsletter, which 40,000 readers subscribe to, first reported the leak.",
    "Terms of the agreement were not disclosed, a spokesperson for the ministry said.",
    "Datenschutz",  # a story's subheading, not a table's cell
    "Copyright",
    "Privacy advocates, consumer groups and the regulator all criticised the plan.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_the_sites_furniture_is_known(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", CONTENT)
def test_what_a_page_publishes_is_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_a_long_paragraph_is_an_articles_whatever_it_says() -> None:
    story = ("Subscribe to the newsletter, the minister told the assembly, was the advice her "
             "office gave to farmers worried about the new rules. " * 6)
    assert len(story.split()) > 80 and not is_furniture(story)


def test_split_keeps_the_story_and_takes_the_footer_in_order() -> None:
    text = ("The talks ended on Tuesday.\nBoth sides agreed to meet again.\n"
            "© 2023 Example News. All rights reserved.\nPrivacy Policy | Terms of Use | "
            "Contact Us")
    kept, taken = split_furniture(text)
    assert kept == "The talks ended on Tuesday.\nBoth sides agreed to meet again."
    assert taken == ("© 2023 Example News. All rights reserved.",
                     "Privacy Policy | Terms of Use | Contact Us")
    assert split_furniture("No footer here.") == ("No footer here.", ())


STORY = ("The foreign ministers met in the capital on Tuesday to discuss the grain corridor, "
         "the talks lasting well into the evening. Officials said a further round was planned "
         "for next month, and that both delegations had agreed on a joint statement. ")


def test_a_page_keeps_its_story_without_its_footer_line() -> None:
    html = ("<html><head><title>Grain talks</title></head><body><article><h1>Grain talks</h1>"
            f"<p>{STORY}</p><p>{STORY}</p><p>© 2023 Example News. All rights reserved. This "
            "material may not be published, broadcast, rewritten or redistributed.</p>"
            "</article></body></html>")
    page = extract_page(html, url="https://news.example.org/2023/09/grain")
    assert "rights reserved" not in page.text and page.text.endswith("a joint statement.")
    assert page.furniture == ("© 2023 Example News. All rights reserved. This material may not "
                              "be published, broadcast, rewritten or redistributed.",)


def test_a_page_that_is_only_its_footer_is_no_article_and_says_why() -> None:
    html = ("<html><body><div><p>Privacy Policy | Terms of Use | Contact Us | Site Map</p>"
            "</div></body></html>")
    with pytest.raises(RejectedInput) as caught:
        extract_page(html, url="https://news.example.org/2023/09/empty")
    assert caught.value.reason is RejectReason.NO_CONTENT
    assert caught.value.detail == ("only the site's footer, no article: 'Privacy Policy | "
                                   "Terms of Use | Contact Us | Site Map'")
