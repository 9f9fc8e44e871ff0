# job "home": hand-written stand-in for a generated job script
rsync -a --delete "$HOME/" "/mnt/backup/home/"
