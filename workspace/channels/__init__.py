"""Community channels: WhatsApp communities, Viber, Signal and Telegram groups, mailing lists,
kept by staff; join links only for members of approved organizations and staff sessions."""
