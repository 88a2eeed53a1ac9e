"""Paying ACR/ECR: FPX with a mock FPX bank (QRG 5), EFT (QRG 6), Direct Debit mandates (QRG 7), Payment History."""
