"""Registration (QRG 2, 3, 10, 11): new employers, new employees, terminations, and their cases.

`cases` holds the registration cases and their reference numbers; `people` is PERKESO's registry
of persons it already knows (the QRG 10 search); `identifiers` checks and issues numbers;
`forms` validates what the registration screens post. The routes are in mock_portal/routes/.
"""
