"""Signals the organisation app sends, for the layers above it to react to (they may not be imported here)."""

from django.dispatch import Signal

# Sent inside membership_revoke's transaction once a role has ended: kwargs user, unit, role, revoked_by.
membership_revoked = Signal()

# Sent once by memberships_change_bulk for all the roles it ended: kwargs revocations [(user, unit, role)],
# revoked_by. Receivers do for each what they do for `membership_revoked`.
memberships_revoked = Signal()
