from exitban.cli import main

main()
