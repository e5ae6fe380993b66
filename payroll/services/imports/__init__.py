"""File imports, each all or nothing: rosters (참여자 명부, :mod:`.rosters`), history of
earlier participation (과거 참여 이력, :mod:`.history`) and attendance exceptions (근태,
:mod:`.attendance`); :mod:`.common` holds what they share (row errors, cell parsing)."""
