"""Import past check-ins from an archive file (docs/archive-format.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings import archive


class Command(BaseCommand):
    help = (
        "Import past meetings with their published summaries, decisions and action items from a "
        "YAML or JSON file. Checks every record first and writes nothing if any has a problem; "
        "importing the same file again updates the meetings it made."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive file (YAML or JSON, UTF-8).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file and report problems."
        )

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        report = archive.import_text(text, by=None, dry_run=dry_run)
        for problem in report.problems:
            self.stderr.write(problem)
        for record in report.records:
            label = record.key or f"#{record.index}"
            if record.problems:
                for problem in record.problems:
                    self.stderr.write(f"{label}: {problem}")
            else:
                state = "update" if record.exists else "new"
                self.stdout.write(f"{label}: {state} · {record.title}")
        if not report.ok:
            raise CommandError("Nothing was imported: fix the problems above.")
        if report.written:
            self.stdout.write(self.style.SUCCESS(f"{len(report.records)} meeting(s) imported."))
        else:
            self.stdout.write("Dry run: nothing was written.")
