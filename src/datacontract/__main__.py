"""python -m datacontract"""

from datacontract.cli import main

main()
