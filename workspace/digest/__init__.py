"""The weekly digest: each approved organization's admins get the week's new posts in their
areas and country and the meetings ahead, once per ISO week."""
