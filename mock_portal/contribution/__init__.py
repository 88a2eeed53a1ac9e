"""The Contribution area (QRG 4 i/ii/iii): rates, the portal's own text-file parser, submissions
and the ACR/ECR documents they generate. Written from spec/DOMAIN.md alone, independently of the
bot's bot/core/contributions, so that the two implementations check each other."""
