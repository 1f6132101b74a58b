package server_test

import "annex/app/config"

type configT = config.Config
