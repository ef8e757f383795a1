## My submissions
mine-empty = You have not filed anything yet. Use the menu to file a complaint or a proposal.
mine-header = <b>My submissions</b> ({ $total }) — page { $page } of { $pages }. Tap one for its details.
mine-detail =
    <b>{ $number }</b> · { $kind }
    <b>{ $title }</b>
    { $category } · { $district }
    Status: <b>{ $status }</b> · Photos: { $photos }

    { $body }

    <b>Timeline</b>
    { $timeline }
mine-event = { $time } · { $status }
mine-back = ⬅️ Back to the list

## My submissions and endorsements
mine-show-submissions = 📂 My submissions
mine-show-endorsements = 👍 My endorsements
mine-endorsed-header = <b>My endorsements</b> ({ $total }) — page { $page } of { $pages }.
mine-endorsed-empty = You have not endorsed anything yet. Browse proposals to find some.
mine-open-card = 🗂 Open its card
cancel-input-done = Cancelled. Main menu:
command-browse = Browse proposals and complaints
command-search = Search: /search words
card-retract = 🗑 Withdraw my proposal
card-retract-confirm = Withdraw your proposal? It stops collecting endorsements and closes. This cannot be undone.
card-retract-yes = 🗑 Yes, withdraw it
card-retract-no = ↩️ No, keep it
card-retracted = Your proposal was withdrawn.

language-name-ko = 🇰🇷 한국어
language-name-en = 🇬🇧 English
