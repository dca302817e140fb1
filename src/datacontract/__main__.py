"""python -m datacontract"""

from datacontract.cli.main import main

main()
