import FlumebenchCLI

Flumebench.main()
