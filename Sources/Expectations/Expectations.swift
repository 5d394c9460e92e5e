// PLACEHOLDER: module Expectations, until its work lands.
