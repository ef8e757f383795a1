## Browse
browse-header =
    🔎 <b>Browse</b> — { $total ->
        [one] { $total } item
       *[other] { $total } items
    }, page { $page } of { $pages }
    Sort: { $sort } · District: { $district } · Topic: { $category }
    Kind: { $kind } · Stage: { $stage } · Search: { $query }
browse-empty = Nothing matches. Change the filters or clear them.
browse-all = All
browse-sort-new = Newest
browse-sort-top = Most endorsed
browse-sort-end = Ending soon
browse-filter-sort = ↕️ Sort
browse-filter-district = 📍 District
browse-filter-category = 🗂 Topic
browse-filter-kind = 📋 Kind
browse-filter-stage = 🚦 Stage
browse-search = 🔍 Search
browse-clear = ✖️ Clear filters
browse-choose-sort = Sort by:
browse-choose-district = Show items of which district?
browse-choose-category = Show items of which topic?
browse-choose-kind = Show which kind?
browse-choose-stage = Show items at which stage?
browse-search-prompt = Type the words to search for (or /cancel).
browse-search-expect = Please type the words to search for as text, or /cancel.
