## Filing
filing-kind-prompt = What would you like to file?
filing-kind-complaint = 📝 A complaint (a problem to fix)
filing-kind-proposal = 💡 A policy proposal (an idea)
filing-category-prompt = { $kind }: which topic is it about?
filing-district-prompt = Which district is it in? Choose below, or share your location.
filing-location-hint = Or tap the button below to share your location.
filing-district-suggest = The nearest district is <b>{ $district }</b> ({ $km } km away). Is that right?
filing-district-accept = ✅ Yes, { $district }
filing-district-other = Choose another district
filing-title-prompt = Type a short title ({ $min }–{ $max } characters).
filing-body-prompt = Now describe it: what, where, since when ({ $min }–{ $max } characters).
filing-photos-prompt =
    Add photos if you have any: up to { $max }, one by one or as an album ({ $count } so far).
    Then tap Done, or Skip.
filing-photos-clear = 🗑 Remove photos
filing-photo-added = 📷 Photo { $count } of { $max } added.
filing-photos-full = You can attach at most { $max } photos; the extra ones were not added.
filing-photo-duplicate = That photo is already attached.
filing-location-prompt = Where exactly is it? Share the location with the button below (optional), or Skip.
filing-location-prompt-has = 📍 A location is attached. Send another one to replace it, keep it, or remove it.
filing-location-remove = 🗑 Remove location
filing-location-yes = attached
filing-location-no = none
filing-anonymity-prompt = Should the officials handling it see your name?
filing-anon-show = 👤 Show my name ({ $name })
filing-anon-hide = 🕶 Stay anonymous
filing-anon-shown = your name is shown to officials
filing-anon-hidden = anonymous
filing-noted = ✓ Noted.
filing-preview-complaint =
    <b>Please check your complaint</b>
    Kind: { $kind }
    Topic: { $category }
    District: { $district }
    Title: <b>{ $title }</b>
    { $body }
    Photos: { $photos } · Location: { $location } · Name: { $visibility }
filing-preview-proposal =
    <b>Please check your proposal</b>
    Kind: { $kind }
    Topic: { $category }
    District: { $district }
    Title: <b>{ $title }</b>
    { $body }
    Photos: { $photos } · Name: { $visibility }
filing-edit-kind = ✏️ Kind
filing-edit-category = ✏️ Topic
filing-edit-district = ✏️ District
filing-edit-title = ✏️ Title
filing-edit-body = ✏️ Description
filing-edit-photos = ✏️ Photos
filing-edit-location = ✏️ Location
filing-edit-anonymity = ✏️ Name
filing-similar-header = <b>Similar items are already open.</b> Supporting one may help more than a new filing:
filing-similar-button = 👍 Endorse { $number } instead
filing-similar-open = Your draft is kept: its preview is above.
filing-submitted-complaint =
    ✅ Thank you! Your complaint is filed as <b>{ $number }</b>.
    The responsible department will receive it and answer here. Follow it under My submissions.
filing-submitted-private =
    ✅ Thank you! Your report is filed as <b>{ $number }</b>.
    It is seen only by you and the city. The answer will come here.
filing-submitted-proposal =
    ✅ Thank you! Your proposal is filed as <b>{ $number }</b>.
    With { $goal } endorsements within { $days } days it goes to public discussion. Share it to gather support; follow it under My submissions.
filing-already-submitted = This draft was already filed as <b>{ $number }</b>.
filing-in-progress = You are in the middle of a filing. Continue below, or /cancel to drop it.
filing-unknown-command = { $command } is not available here. Continue below, or /cancel.
filing-expect-choice = Please choose with the buttons.
filing-expect-district = Please choose a district with the buttons, or share your location.
filing-expect-title = Please type the title as text ({ $min_title }–{ $max_title } characters).
filing-expect-body = Please type the description as text ({ $min_body }–{ $max_body } characters).
filing-expect-photo = Please send photos (not files or stickers), or tap Done or Skip.
filing-expect-location = Please share a location with the button, or tap Skip.
filing-error-title-length = The title must be { $min }–{ $max } characters; yours has { $length }.
filing-error-body-length = The description must be { $min }–{ $max } characters; yours has { $length }.
filing-incomplete = Some fields are still missing; please fill them in.
