## Common buttons
btn-back = ⬅️ Back
btn-cancel = ✖️ Cancel
btn-done = ✅ Done
btn-skip = ⏭ Skip
btn-keep = ✅ Keep it
btn-submit = 📨 Submit
btn-share-location = 📍 Share my location
